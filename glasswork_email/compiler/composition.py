"""Resolve ``include``, ``extends`` / ``block`` and ``from ... import`` at compile time.

MJML needs the whole email as one document before it can lay it out, so shared pieces cannot
be looked up by Jinja at send time: they are inlined here, tag by tag, keeping each piece's
original file and line for error messages. Included files share the including template's
context (as with Jinja's ``include``); a child template's blocks replace its layout's, and
``{{ super() }}`` is the layout's block content.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from jinja2 import Environment

from glasswork_email.compiler.errors import TemplateCompileError
from glasswork_email.compiler.tokens import JinjaTag, Piece, split_source

__all__ = ["SourceTree", "flatten"]

logger = logging.getLogger(__name__)

_MAX_DEPTH = 20


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
        for candidate in (self.root / name, including.parent / name):
            if candidate.is_file():
                return candidate
        return None

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
    parent = _expand(tree, layout, dependencies, (*stack, layout))
    overrides = _blocks(expanded)
    top_level = [
        piece
        for piece in _outside_blocks(expanded)
        if isinstance(piece, JinjaTag) and piece.keyword != "extends"
    ]
    return top_level + _substitute(parent, overrides)


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
            f"`{tag.keyword}` names {name!r}, which is not a file under {tree.root} "
            f"or {location.file.parent}",
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
