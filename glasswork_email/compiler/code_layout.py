"""Lay out generated Python the way ``ruff format`` (line length 100) would.

Generated modules are written already formatted, so no formatter runs at compile time: calls
and signatures fit on one line or take one item a line, long annotations split as ruff splits
them, imports are grouped and sorted as isort orders them.
"""

from __future__ import annotations

import ast

__all__ = [
    "LINE_LENGTH",
    "PARAMETER_INDENT",
    "annotated",
    "import_block",
    "list_literal",
    "quoted",
    "union",
    "wrapped",
]

LINE_LENGTH = 100
"""The line length generated code is laid out for (ruff's setting in this project)."""
PARAMETER_INDENT = " " * 12
"""The indentation of a model ``__init__``'s parameters laid out one a line."""


def wrapped(head: str, items: list[str], tail: str, indent: str) -> list[str]:
    """Lay out ``head`` + comma-separated ``items`` + ``tail`` as ruff format does."""
    one_line = f"{indent}{head}{', '.join(items)}{tail}"
    if len(one_line) <= LINE_LENGTH:
        return [one_line]
    inner = indent + "    "
    hugged = f"{inner}{', '.join(items)}"
    if len(hugged) <= LINE_LENGTH:
        return [f"{indent}{head}", hugged, f"{indent}{tail}"]
    return [f"{indent}{head}", *(f"{inner}{item}," for item in items), f"{indent}{tail}"]


def list_literal(head: str, items: list[str], tail: str = "]") -> list[str]:
    """A list/subscript literal or import: one line when it fits, else one item per line."""
    one_line = f"{head}{', '.join(items)}{tail}"
    if head.startswith("from ") and len(one_line.replace("(", "").replace(")", "")) <= LINE_LENGTH:
        return [one_line.replace("(", "").replace(")", "")]
    if len(one_line) <= LINE_LENGTH:
        return [one_line]
    return [head, *(f"    {item}," for item in items), tail]


def annotated(
    indent: str, name: str, annotation: str, suffix: str, *, in_brackets: bool
) -> list[str]:
    """``name: annotation`` + ``suffix`` as ruff format lays it out when it is too long.

    Only a declared annotation can be that long (``Literal[...]`` with many values): its
    subscripts get one item a line and a trailing comma, which ruff format keeps.

    Parameters:
        indent: the statement's indentation.
        name: the field or parameter.
        annotation: its type annotation source.
        suffix: what follows the annotation (`` = default``, ``,``).
        in_brackets: whether the line is inside brackets (a parameter), so a union needs no
            parentheses of its own.
    """
    line = f"{indent}{name}: {annotation}{suffix}"
    if len(line) <= LINE_LENGTH:
        return [line]
    node = ast.parse(annotation, mode="eval").body
    members = _union_members(node)
    if not any(isinstance(member, ast.Subscript) for member in members):
        return [line]  # nothing ruff would split; left as is
    if len(members) == 1:
        return f"{indent}{name}: {_exploded(annotation, node, indent)}{suffix}".split("\n")
    inner = indent if in_brackets else indent + "    "
    parts = [_exploded(annotation, member, inner) for member in members]
    union = f"\n{inner}| ".join(parts)
    if in_brackets:
        return f"{indent}{name}: {union}{suffix}".split("\n")
    return f"{indent}{name}: (\n{inner}{union}\n{indent}){suffix}".split("\n")


def _union_members(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return [*_union_members(node.left), *_union_members(node.right)]
    return [node]


def _exploded(source: str, node: ast.expr, indent: str) -> str:
    """``node``'s source; a subscript with one item a line (``Literal[\\n "a",\\n]``)."""
    text = ast.get_source_segment(source, node) or ""
    if not isinstance(node, ast.Subscript):
        return text
    items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
    value = ast.get_source_segment(source, node.value) or ""
    lines = [f"{indent}    {ast.get_source_segment(source, item)}," for item in items]
    return "\n".join([f"{value}[", *lines, f"{indent}]"])


def union(head: str, members: list[str]) -> list[str]:
    one_line = f"{head}{' | '.join(members)}"
    if len(one_line) <= LINE_LENGTH:
        return [one_line]
    return [f"{head}(", f"    {members[0]}", *(f"    | {member}" for member in members[1:]), ")"]


def _imports(statements: dict[str, set[str]]) -> list[str]:
    lines: list[str] = []
    for module in sorted(statements, key=lambda m: (m.startswith("."), m.lower())):
        names = sorted(statements[module], key=_member_order)
        lines.extend(list_literal(f"from {module} import (", names, ")"))
    return lines


def _member_order(name: str) -> tuple[int, str]:
    """isort's order of imported names: CONSTANTS, then Classes, then functions."""
    if name.isupper():
        return (0, name)
    return (1 if name[:1].isupper() else 2, name)


def import_block(groups: list[dict[str, set[str]]]) -> list[str]:
    lines: list[str] = []
    for group in groups:
        if group:
            if lines:
                lines.append("")
            lines.extend(_imports(group))
    return lines


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
