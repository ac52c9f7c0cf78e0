"""Cut a template source into data and Jinja tags with Jinja's own lexer.

Every later step works on these pieces: composition follows ``include`` / ``extends`` tags,
``protect`` swaps each tag for an opaque alphanumeric placeholder so MJML and the HTML-to-text
converter never see Jinja syntax, and ``restore`` puts the tags back.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from jinja2 import Environment, TemplateSyntaxError

from glasswork_email.compiler.errors import SourceLocation, TemplateCompileError

__all__ = [
    "Data",
    "JinjaTag",
    "Piece",
    "ProtectedText",
    "Protector",
    "join_source",
    "location_after",
    "split_source",
]

TagKind = Literal["variable", "block", "comment", "raw"]

_TAG_BEGIN: dict[str, tuple[TagKind, str]] = {
    "variable_begin": ("variable", "variable_end"),
    "block_begin": ("block", "block_end"),
    "comment_begin": ("comment", "comment_end"),
    "raw_begin": ("raw", "raw_end"),
}
_INSIGNIFICANT = {"whitespace", "comment"}


@dataclass(frozen=True)
class Data:
    """Literal template text (markup), not Jinja.

    Parameters:
        text: the text.
        location: where it starts.
    """

    text: str
    location: SourceLocation


@dataclass(frozen=True)
class JinjaTag:
    """One Jinja construct as written: ``{{ ... }}``, ``{% ... %}``, ``{# ... #}``, a raw block.

    Parameters:
        text: the source text, whitespace-control markers included.
        kind: ``"variable"``, ``"block"``, ``"comment"`` or ``"raw"``.
        location: where it starts.
        tokens: the lexer's significant ``(type, value)`` tokens between the delimiters.
    """

    text: str
    kind: TagKind
    location: SourceLocation
    tokens: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def keyword(self) -> str | None:
        """The statement of a block tag (``"for"``, ``"endif"``, ``"include"``), else ``None``."""
        if self.kind == "block" and self.tokens and self.tokens[0][0] == "name":
            return self.tokens[0][1]
        return None

    @property
    def block_name(self) -> str | None:
        """The name in ``{% block NAME %}`` / ``{% endblock NAME %}``."""
        if len(self.tokens) > 1 and self.tokens[1][0] == "name":
            return self.tokens[1][1]
        return None

    def string_argument(self) -> str | None:
        """The first string literal of the tag (``include "x.mjml"`` → ``x.mjml``), if any."""
        for token_type, value in self.tokens[1:]:
            if token_type == "string":
                literal = ast.literal_eval(value)
                return literal if isinstance(literal, str) else None
        return None

    @property
    def comment_text(self) -> str:
        """The inside of a comment tag, without delimiters and whitespace-control markers."""
        return self.text.rstrip()[2:-2].strip("-+")

    def without_whitespace_control(self) -> str:
        """The tag with ``-`` / ``+`` whitespace-control markers removed (for plain text)."""
        if self.kind not in ("variable", "block"):
            return self.text
        text = self.text.rstrip()
        opener, body, closer = text[:2], text[2:-2], text[-2:]
        return opener + body.strip("-+") + closer


Piece = Data | JinjaTag


class _LineIndex:
    def __init__(self, source: str) -> None:
        self.starts = [0] + [match.end() for match in re.finditer("\n", source)]

    def location(self, file: Path, position: int) -> SourceLocation:
        line = bisect.bisect_right(self.starts, position)
        return SourceLocation(file, line, position - self.starts[line - 1] + 1)


def location_after(location: SourceLocation, text: str) -> SourceLocation:
    """The location just after ``text``, which starts at ``location``.

    Parameters:
        location: where ``text`` starts.
        text: source text.
    """
    newlines = text.count("\n")
    if not newlines:
        return SourceLocation(location.file, location.line, location.column + len(text))
    return SourceLocation(location.file, location.line + newlines, len(text) - text.rfind("\n"))


def split_source(source: str, file: Path, environment: Environment) -> list[Piece]:
    """Cut ``source`` into data and Jinja tags; the pieces concatenate back to ``source``.

    Parameters:
        source: the template text.
        file: its path, for error locations.
        environment: the Jinja environment whose lexer (delimiters) applies.
    """
    index = _LineIndex(source)
    pieces: list[Piece] = []
    position = 0
    data_start = 0
    tag_start = -1
    tag_kind: TagKind = "variable"
    tag_end_type = ""
    tag_tokens: list[tuple[str, str]] = []
    try:
        for _line, token_type, value in environment.lexer.tokeniter(source, None, str(file)):
            found = source.find(value, position) if value else position
            if found < 0:  # the lexer normalised the value; keep our place
                found = position
            if tag_start < 0:
                if token_type in _TAG_BEGIN:
                    tag_kind, tag_end_type = _TAG_BEGIN[token_type]
                    tag_start = found
                    tag_tokens = []
                    if found > data_start:
                        text = source[data_start:found]
                        pieces.append(Data(text, index.location(file, data_start)))
                position = found + len(value)
                continue
            position = found + len(value)
            if token_type == tag_end_type:
                pieces.append(
                    JinjaTag(
                        source[tag_start:position],
                        tag_kind,
                        index.location(file, tag_start),
                        tuple(tag_tokens),
                    )
                )
                tag_start = -1
                data_start = position
            elif token_type not in _INSIGNIFICANT and tag_kind != "raw":
                tag_tokens.append((token_type, value))
    except TemplateSyntaxError as error:
        raise TemplateCompileError.at(file, error.lineno, 1, error.message or str(error)) from None
    if data_start < len(source):
        pieces.append(Data(source[data_start:], index.location(file, data_start)))
    return pieces


def join_source(
    pieces: Iterable[Piece], *, split_files: bool = False
) -> tuple[str, list[SourceLocation]]:
    """The Jinja source of ``pieces`` and, per 1-based line of it, the original file and line.

    Parameters:
        pieces: data and tags, possibly from several files (includes, layouts).
        split_files: start a new line where the pieces change file (default ``False``), so
            each line comes from one file; for analysis only, as it adds whitespace.
    """
    parts: list[str] = []
    origins: list[SourceLocation] = [SourceLocation(Path("?"), 0)]  # index 0 unused
    previous_file: Path | None = None
    for piece in pieces:
        if split_files and previous_file not in (None, piece.location.file):
            parts.append("\n")
            origins.append(piece.location)
        previous_file = piece.location.file
        parts.append(piece.text)
        location = piece.location
        for offset in range(piece.text.count("\n") + 1):
            if offset == 0 and len(origins) > 1:
                continue  # this line already started in an earlier piece
            origins.append(SourceLocation(location.file, location.line + offset))
    return "".join(parts), origins


@dataclass
class ProtectedText:
    """Text in which every Jinja tag was replaced by a placeholder.

    Parameters:
        text: the protected text (markup and placeholders only).
        tags: the tags in order, referred to by the placeholders.
    """

    text: str
    tags: list[JinjaTag]


class Protector:
    """Swaps Jinja tags for opaque alphanumeric placeholders, and back.

    Placeholders look like ``gwj3fa9c1n12x``: letters and digits only, so MJML treats them as
    words; the nonce keeps them from clashing with anything a template could contain.

    Parameters:
        nonce: a short alphanumeric string unique to the compilation (e.g. a hash prefix).
    """

    def __init__(self, nonce: str) -> None:
        self.nonce = nonce
        self.tags: list[JinjaTag] = []
        self.pattern = re.compile(f"gwj{nonce}n(\\d+)x")
        self._index: tuple[Sequence[Piece], str, list[Piece], list[int]] | None = None

    def placeholder(self, tag: JinjaTag) -> str:
        """Register ``tag`` and return its placeholder."""
        self.tags.append(tag)
        return f"gwj{self.nonce}n{len(self.tags) - 1}x"

    def protect(self, pieces: Sequence[Piece]) -> str:
        """The text of ``pieces`` with each tag replaced by its placeholder (comments dropped)."""
        parts: list[str] = []
        for piece in pieces:
            if isinstance(piece, Data):
                parts.append(piece.text)
            elif piece.kind != "comment":  # a comment renders nothing: drop it
                parts.append(self.placeholder(piece))
        return "".join(parts)

    def locate(self, pieces: Sequence[Piece], protected: str, offset: int) -> SourceLocation:
        """The source file, line and column of character ``offset`` of ``protect(pieces)``.

        Parameters:
            pieces: the pieces that were protected.
            protected: what ``protect`` returned for them.
            offset: a 0-based position in ``protected``.
        """
        located, ends = self._ends(pieces, protected)
        found = bisect.bisect_right(ends, offset)
        if found < len(located):
            piece = located[found]
            if isinstance(piece, JinjaTag):
                return piece.location
            start = ends[found] - len(piece.text)
            return location_after(piece.location, piece.text[: offset - start])
        last = pieces[-1] if pieces else None
        return location_after(last.location, last.text) if last else SourceLocation(Path("?"), 1)

    def _ends(self, pieces: Sequence[Piece], protected: str) -> tuple[list[Piece], list[int]]:
        """The pieces that take room in ``protected`` and where each ends in it (computed once
        per text: MJML's validation locates every element of a template)."""
        if self._index is not None and self._index[0] is pieces and self._index[1] is protected:
            return self._index[2], self._index[3]
        located: list[Piece] = []
        ends: list[int] = []
        position = 0
        for piece in pieces:
            if isinstance(piece, Data):
                length = len(piece.text)
            elif piece.kind == "comment":
                continue
            else:
                match = self.pattern.match(protected, position)
                length = len(match.group(0)) if match else 0
            position += length
            located.append(piece)
            ends.append(position)
        self._index = (pieces, protected, located, ends)
        return located, ends

    def tag_of(self, placeholder_match: re.Match[str]) -> JinjaTag:
        """The tag a placeholder match stands for."""
        return self.tags[int(placeholder_match.group(1))]

    def tag_for(self, placeholder: str) -> JinjaTag:
        """The tag behind ``placeholder`` (one whole placeholder)."""
        match = self.pattern.fullmatch(placeholder)
        if match is None:
            raise KeyError(placeholder)
        return self.tag_of(match)

    def restore(self, text: str, *, plain: bool = False) -> str:
        """Put the tags back into ``text``.

        Parameters:
            text: protected text.
            plain: drop whitespace-control markers (default ``False``), for the text part whose
                layout the converter decides.
        """
        if plain:
            return self.pattern.sub(lambda m: self.tag_of(m).without_whitespace_control(), text)
        return self.pattern.sub(lambda m: self.tag_of(m).text, text)

    def indexes_in(self, text: str) -> list[int]:
        """The tag indexes whose placeholders occur in ``text``, in order of occurrence."""
        return [int(match.group(1)) for match in self.pattern.finditer(text)]
