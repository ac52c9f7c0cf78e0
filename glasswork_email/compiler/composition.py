"""Resolve ``include``, ``extends`` / ``block`` and ``from ... import`` at compile time.

MJML needs the whole email as one document before it can lay it out, so shared pieces cannot
be looked up by Jinja at send time: they are inlined here, tag by tag, keeping each piece's
original file and line for error messages. Included files share the including template's
context (as with Jinja's ``include``); a child template's blocks replace its layout's, and
``{{ super() }}`` is the layout's block content. A child's macros with markup (its own or
imported outside blocks) are defined before the layout in HTML and at the start of
``<mj-body>`` in MJML, the one place MJML lays out markup the way the email's body will use it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

from jinja2 import Environment

from glasswork_email.compiler.errors import TemplateCompileError
from glasswork_email.compiler.tokens import Data, JinjaTag, Piece, location_after, split_source

__all__ = ["SourceTree", "flatten"]

logger = logging.getLogger(__name__)

_MAX_DEPTH = 20
_MJ_BODY_START = re.compile(r"<mj-body\b")
# Statements that open a scope or a body closed by a matching ``end...`` tag.
_PAIRED_STATEMENTS = frozenset(
    ("for", "if", "with", "macro", "call", "filter", "autoescape", "trans")
)


class SourceTree:
    """The template folder: reads files once and remembers which ones a compile used.

    Parameters:
        root: the folder holding templates, partials and layouts.
        environment: the Jinja environment whose lexer applies.
    """

    def __init__(self, root: Path, environment: Environment) -> None:
        self.root = root
        self.environment = environment
        self._texts: dict[Path, str] = {}
        self._pieces: dict[Path, list[Piece]] = {}

    def resolve(self, name: str, including: Path) -> Path | None:
        """The file a template name refers to: relative to the root, then to the includer."""
        for folder in self.folders(including):
            if (folder / name).is_file():
                return folder / name
        return None

    def folders(self, including: Path) -> tuple[Path, Path]:
        """Where names are looked up, in order: the root, then the including file's folder."""
        return self.root, including.parent

    def text(self, path: Path) -> str:
        """The text of ``path`` (cached)."""
        if path not in self._texts:
            self._texts[path] = path.read_text(encoding="utf-8")
        return self._texts[path]

    def pieces(self, path: Path) -> list[Piece]:
        """``path`` cut into data and tags (cached)."""
        if path not in self._pieces:
            self._pieces[path] = split_source(self.text(path), path, self.environment)
        return self._pieces[path]


def flatten(tree: SourceTree, path: Path, dependencies: set[Path]) -> list[Piece]:
    """The pieces of template ``path`` with includes, layouts and macro imports inlined.

    Parameters:
        tree: where to read files.
        path: the template.
        dependencies: filled with every other file the template uses.
    """
    pieces = _expand(tree, path, dependencies, (path,))
    return [piece for piece in pieces if not _is_block_tag(piece)]


def _is_block_tag(piece: Piece) -> bool:
    return isinstance(piece, JinjaTag) and piece.keyword in ("block", "endblock")


def _expand(
    tree: SourceTree, path: Path, dependencies: set[Path], stack: tuple[Path, ...]
) -> list[Piece]:
    pieces = tree.pieces(path)
    extends = next((p for p in pieces if isinstance(p, JinjaTag) and p.keyword == "extends"), None)
    expanded = _inline(tree, pieces, dependencies, stack)
    if extends is None:
        return expanded
    layout = _referenced_file(tree, extends, stack, dependencies)
    if layout is None:
        return expanded
    parent = _substitute(_expand(tree, layout, dependencies, (*stack, layout)), _blocks(expanded))
    statements, macros = _top_level(_outside_blocks(expanded))
    if not macros:
        return statements + parent
    return statements + _with_macros(parent, macros, path, layout)


def _top_level(pieces: Sequence[Piece]) -> tuple[list[Piece], list[Piece]]:
    """What of a child template runs outside its blocks: its statements, and macros with markup.

    A child's markup outside blocks renders nothing, but the markup inside its macros is what
    the macros render, so those macros are kept whole.
    """
    statements: list[Piece] = []
    macros: list[Piece] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        if isinstance(piece, JinjaTag) and piece.keyword == "macro":
            end = _matching_end(pieces, index, "macro", "endmacro")
            definition = pieces[index : end + 1]
            has_markup = any(isinstance(inner, Data) for inner in definition)
            if has_markup and _open_statements(statements):
                raise TemplateCompileError.at(
                    piece.location.file,
                    piece.location.line,
                    piece.location.column,
                    "in an email that extends a layout, define or import macros outside "
                    "`{% if %}` / `{% for %}` (or inside a block)",
                )
            (macros if has_markup else statements).extend(definition)
            index = end + 1
            continue
        if (
            isinstance(piece, JinjaTag)
            and piece.kind != "variable"  # a child's `{{ ... }}` outside blocks prints nothing
            and piece.keyword != "extends"
        ):
            statements.append(piece)
        index += 1
    return statements, macros


def _with_macros(
    layout_pieces: list[Piece], macros: list[Piece], email: Path, layout: Path
) -> list[Piece]:
    """The layout with an extending email's macro definitions where their markup belongs.

    In HTML the definitions go first, as Jinja would run them. MJML only lays out what is
    inside ``<mjml>``, so there they open ``<mj-body>``, as if the email imported them there.
    """
    for index, piece in enumerate(layout_pieces):
        if not isinstance(piece, Data):
            continue
        start = _MJ_BODY_START.search(piece.text)
        if start is None:
            continue
        found = _end_of_opening_tag(layout_pieces, index, start.end())
        if found is None or _open_statements(layout_pieces[:index]):
            break
        body_index, opening, offset = found
        before, after = _split_data(opening, offset)
        return [
            *layout_pieces[:body_index],
            *before,
            *macros,
            *after,
            *layout_pieces[body_index + 1 :],
        ]
    if layout.suffix != ".mjml" and email.suffix != ".mjml":
        return macros + layout_pieces
    first = macros[0].location
    raise TemplateCompileError.at(
        first.file,
        first.line,
        first.column,
        f"{email} extends {layout}, and MJML can only lay out this macro's markup inside "
        "<mj-body>, which the layout does not open outside Jinja statements: import the macro "
        "inside a block of the email, or in the layout inside <mj-body>",
    )


def _end_of_opening_tag(
    pieces: Sequence[Piece], index: int, offset: int
) -> tuple[int, Data, int] | None:
    """Where the tag opened in ``pieces[index]`` ends: the piece's index, the piece, and the
    offset just after its ``>`` (Jinja in its attributes is skipped)."""
    for position in range(index, len(pieces)):
        piece = pieces[position]
        if isinstance(piece, Data):
            end = piece.text.find(">", offset if position == index else 0)
            if end >= 0:
                return position, piece, end + 1
    return None


def _split_data(piece: Data, offset: int) -> tuple[list[Piece], list[Piece]]:
    head, tail = piece.text[:offset], piece.text[offset:]
    tail_location = location_after(piece.location, head)
    return [Data(head, piece.location)], ([Data(tail, tail_location)] if tail else [])


def _open_statements(pieces: Sequence[Piece]) -> bool:
    """Whether ``pieces`` end inside a Jinja statement body (``for``, ``if``...)."""
    depth = 0
    for piece in pieces:
        if not isinstance(piece, JinjaTag) or piece.keyword is None:
            continue
        keyword = piece.keyword
        if keyword in _PAIRED_STATEMENTS or (
            keyword == "set" and ("operator", "=") not in piece.tokens
        ):
            depth += 1
        elif keyword.startswith("end") and keyword != "endblock":
            depth -= 1
    return depth > 0


def _inline(
    tree: SourceTree, pieces: Sequence[Piece], dependencies: set[Path], stack: tuple[Path, ...]
) -> list[Piece]:
    result: list[Piece] = []
    for piece in pieces:
        if not isinstance(piece, JinjaTag) or piece.keyword not in ("include", "from", "import"):
            result.append(piece)
            continue
        if piece.keyword == "import":
            raise TemplateCompileError.at(
                piece.location.file,
                piece.location.line,
                piece.location.column,
                "`{% import ... as ... %}` is not supported: use "
                '`{% from "partials/x.html" import macro_name %}` or `{% include %}`',
            )
        ignore_missing = ("name", "ignore") in piece.tokens
        included = _referenced_file(tree, piece, stack, dependencies, optional=ignore_missing)
        if included is None:
            continue
        inner = _expand(tree, included, dependencies, (*stack, included))
        result.extend(inner if piece.keyword == "include" else _macros(inner))
    return result


def _referenced_file(
    tree: SourceTree,
    tag: JinjaTag,
    stack: tuple[Path, ...],
    dependencies: set[Path],
    *,
    optional: bool = False,
) -> Path | None:
    location = tag.location
    name = tag.string_argument()
    if name is None:
        raise TemplateCompileError.at(
            location.file,
            location.line,
            location.column,
            f"`{tag.keyword}` needs a literal template name (files are inlined at compile time)",
        )
    path = tree.resolve(name, location.file)
    if path is None:
        if optional:
            return None
        raise TemplateCompileError.at(
            location.file,
            location.line,
            location.column,
            f"`{tag.keyword}` names {name!r}, which is not a file under "
            + " or ".join(dict.fromkeys(str(folder) for folder in tree.folders(location.file))),
        )
    if path in stack or len(stack) > _MAX_DEPTH:
        cycle = " → ".join(str(p) for p in (*stack, path))
        raise TemplateCompileError.at(
            location.file, location.line, location.column, f"templates include each other: {cycle}"
        )
    dependencies.add(path)
    return path


def _matching_end(pieces: Sequence[Piece], start: int, opener: str, closer: str) -> int:
    depth = 0
    for index in range(start, len(pieces)):
        piece = pieces[index]
        if isinstance(piece, JinjaTag):
            if piece.keyword == opener:
                depth += 1
            elif piece.keyword == closer:
                depth -= 1
                if depth == 0:
                    return index
    tag = pieces[start]
    raise TemplateCompileError.at(
        tag.location.file, tag.location.line, tag.location.column, f"`{opener}` is never closed"
    )


def _blocks(pieces: Sequence[Piece]) -> dict[str, list[Piece]]:
    blocks: dict[str, list[Piece]] = {}
    for index, piece in enumerate(pieces):
        if isinstance(piece, JinjaTag) and piece.keyword == "block" and piece.block_name:
            end = _matching_end(pieces, index, "block", "endblock")
            blocks.setdefault(piece.block_name, list(pieces[index + 1 : end]))
    return blocks


def _outside_blocks(pieces: Sequence[Piece]) -> list[Piece]:
    result: list[Piece] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        if isinstance(piece, JinjaTag) and piece.keyword == "block":
            index = _matching_end(pieces, index, "block", "endblock") + 1
            continue
        result.append(piece)
        index += 1
    return result


def _macros(pieces: Sequence[Piece]) -> list[Piece]:
    result: list[Piece] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        if isinstance(piece, JinjaTag) and piece.keyword == "macro":
            end = _matching_end(pieces, index, "macro", "endmacro")
            result.extend(pieces[index : end + 1])
            index = end + 1
        else:
            index += 1
    return result


def _is_super_call(piece: Piece) -> bool:
    return (
        isinstance(piece, JinjaTag)
        and piece.kind == "variable"
        and piece.tokens[:1] == (("name", "super"),)
    )


def _substitute(pieces: Sequence[Piece], overrides: dict[str, list[Piece]]) -> list[Piece]:
    result: list[Piece] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        if not (isinstance(piece, JinjaTag) and piece.keyword == "block" and piece.block_name):
            result.append(piece)
            index += 1
            continue
        end = _matching_end(pieces, index, "block", "endblock")
        inherited = _substitute(pieces[index + 1 : end], overrides)
        content = overrides.get(piece.block_name)
        result.append(piece)
        if content is None:
            result.extend(inherited)
        else:
            for inner in _substitute(content, overrides):
                result.extend(inherited if _is_super_call(inner) else [inner])
        result.append(pieces[end])
        index = end + 1
    return result
