"""The escape hatch: types a template declares for what inference cannot know.

A Jinja comment at the top of a template (or of a partial or layout it uses) that starts
with ``context``, one ``path: type`` per line; a declared type wins over inference::

    {#- context
        total: Decimal
        items[].price: Decimal
        placed_at: datetime
        status: Literal["paid", "refunded"]
        coupon: str | None
        newsletter: bool = False
    -#}

Types are Python annotations built from ``str int float bool None list dict Literal Decimal
date datetime time UUID EmailAddress``; ``| None`` makes the field optional (default
``None``); ``= value`` gives a literal default.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from glasswork_email.compiler.errors import CompileError, SourceLocation, TemplateCompileError
from glasswork_email.compiler.tokens import JinjaTag, Piece

__all__ = ["DECLARATION_KEYWORD", "Declaration", "parse_declarations"]

DECLARATION_KEYWORD = "context"
"""The first word of a declaration comment."""

ALLOWED_NAMES: dict[str, tuple[str, str] | None] = {
    "str": None,
    "int": None,
    "float": None,
    "bool": None,
    "None": None,
    "list": None,
    "dict": None,
    "Literal": ("typing", "Literal"),
    "Decimal": ("decimal", "Decimal"),
    "date": ("datetime", "date"),
    "datetime": ("datetime", "datetime"),
    "time": ("datetime", "time"),
    "UUID": ("uuid", "UUID"),
    "EmailAddress": ("glasswork_email.address", "EmailAddress"),
}
"""Names a declared type may use → the import it needs (``None`` for builtins)."""

_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\[\])?(?:\.[A-Za-z_][A-Za-z0-9_]*(?:\[\])?)*$")


@dataclass(frozen=True)
class Declaration:
    """One declared ``path: type [= default]``.

    Parameters:
        path: the context path as segments (``("items", "[]", "price")``).
        annotation: the Python annotation source (``"Decimal | None"``).
        default: the Python source of the default, or ``None`` when the field is required.
        imports: ``(module, name)`` pairs the annotation needs.
        location: where it was declared.
    """

    path: tuple[str, ...]
    annotation: str
    default: str | None
    location: SourceLocation
    imports: frozenset[tuple[str, str]] = field(default=frozenset())

    @property
    def dotted(self) -> str:
        """The path as written (``items[].price``)."""
        return ".".join(self.path).replace(".[]", "[]")


def parse_declarations(pieces: list[Piece]) -> dict[tuple[str, ...], Declaration]:
    """The declarations in the ``{# context ... #}`` comments among ``pieces``, by path.

    Parameters:
        pieces: a flattened template (its partials' and layouts' comments included).
    """
    declarations: dict[tuple[str, ...], Declaration] = {}
    errors: list[CompileError] = []
    for piece in pieces:
        if not (isinstance(piece, JinjaTag) and piece.kind == "comment"):
            continue
        body = piece.comment_text
        lines = body.split("\n")
        if lines[0].strip() != DECLARATION_KEYWORD:
            continue
        for offset, line in enumerate(lines[1:], start=1):
            if not line.strip() or line.strip().startswith("#"):
                continue
            location = SourceLocation(
                piece.location.file,
                piece.location.line + offset,
                len(line) - len(line.lstrip()) + 1,
            )
            try:
                declaration = _parse_line(line.strip(), location)
            except ValueError as error:
                errors.append(CompileError(location, f"context declaration: {error}"))
                continue
            declarations[declaration.path] = declaration
    if errors:
        raise TemplateCompileError(errors)
    return declarations


def _parse_line(line: str, location: SourceLocation) -> Declaration:
    path_text, colon, rest = line.partition(":")
    path_text = path_text.strip()
    if not colon or not _PATH.match(path_text):
        raise ValueError(f"expected `path: type`, like `items[].price: Decimal`, got {line!r}")
    annotation_text, equals, default_text = rest.partition("=")
    annotation_text = annotation_text.strip()
    try:
        annotation = ast.parse(annotation_text, mode="eval").body
    except SyntaxError:
        raise ValueError(f"{annotation_text!r} is not a Python type annotation") from None
    imports: set[tuple[str, str]] = set()
    for node in ast.walk(annotation):
        if isinstance(node, ast.Name):
            if node.id not in ALLOWED_NAMES:
                allowed = ", ".join(ALLOWED_NAMES)
                raise ValueError(f"unknown type {node.id!r}; use one of: {allowed}")
            needed = ALLOWED_NAMES[node.id]
            if needed is not None:
                imports.add(needed)
        elif not isinstance(
            node,
            (ast.Subscript, ast.BinOp, ast.BitOr, ast.Tuple, ast.Constant, ast.Load, ast.Attribute),
        ):
            raise ValueError(f"{annotation_text!r} is not a plain type annotation")
    default: str | None = None
    if equals:
        try:
            default_node = ast.parse(default_text.strip(), mode="eval").body
            ast.literal_eval(default_node)
            default = _source(default_node)
        except (ValueError, SyntaxError, TypeError):
            raise ValueError(f"default {default_text.strip()!r} is not a Python literal") from None
    elif _is_optional(annotation):
        default = "None"
    segments: list[str] = []
    for part in path_text.split("."):
        if part.endswith("[]"):
            segments.extend((part[:-2], "[]"))
        else:
            segments.append(part)
    return Declaration(tuple(segments), _source(annotation), default, location, frozenset(imports))


def _source(node: ast.expr) -> str:
    """``node`` as Python source in the generated code's style (strings in double quotes)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _string_literal(node.value)
    if isinstance(node, ast.Constant):
        return repr(node.value)
    if isinstance(node, ast.Subscript):
        inside = node.slice
        if isinstance(inside, ast.Tuple):
            return f"{_source(node.value)}[{', '.join(_source(e) for e in inside.elts)}]"
        return f"{_source(node.value)}[{_source(inside)}]"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return f"{_source(node.left)} | {_source(node.right)}"
    if isinstance(node, ast.Tuple):
        items = [_source(element) for element in node.elts]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    if isinstance(node, ast.List):
        return f"[{', '.join(_source(element) for element in node.elts)}]"
    if isinstance(node, ast.Set):
        return f"{{{', '.join(_source(element) for element in node.elts)}}}"
    if isinstance(node, ast.Dict):
        pairs = [
            f"{_source(key)}: {_source(value)}" if key is not None else f"**{_source(value)}"
            for key, value in zip(node.keys, node.values, strict=True)
        ]
        return f"{{{', '.join(pairs)}}}"
    return ast.unparse(node)


def _string_literal(text: str) -> str:
    """``text`` quoted as ruff format writes it: double quotes unless that needs more escapes."""
    quoted = repr(text)
    if quoted.startswith('"') or text.count('"') > text.count("'"):
        return quoted
    body = quoted[1:-1].replace("\\'", "'").replace('"', '\\"')
    return f'"{body}"'


def _is_optional(annotation: ast.expr) -> bool:
    if isinstance(annotation, ast.Constant) and annotation.value is None:
        return True
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return _is_optional(annotation.left) or _is_optional(annotation.right)
    return False
