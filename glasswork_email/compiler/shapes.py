"""Decide each context field's type from its recorded uses (and declarations).

The rules, in order, for one path:
- declared (``{# context ... #}``) → the declared type;
- attributes read (``user.name``) → a nested model of those attributes;
- looped over, indexed or measured → ``list[...]`` of what the elements are used as;
- used as a mapping (``.items()``, ``dictsort``) → ``dict[str, ...]``;
- passed to a custom filter, test or global whose signature types it → that type;
- arithmetic, ordered comparison or numeric filter → ``int`` when all evidence is integral
  (``count > 1``, ``range(n)``, ``'%d'``), else ``float``;
- only tested (``{% if x %}``) → ``bool``, default ``False``;
- anything else (printed, string filters) → ``str``.
A field is optional (``| None``, default ``None``) when something guards it (``if``, ``is
defined``, ``default``, ``or``) and every other use happens under such a guard.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass, field
from pathlib import Path

from glasswork_email.compiler.declarations import Declaration
from glasswork_email.compiler.errors import CompileError, SourceLocation, TemplateCompileError
from glasswork_email.compiler.usage import (
    ELEMENT,
    GUARD_KINDS,
    NUMERIC_KINDS,
    VALUE,
    PathNode,
    Use,
    UseKind,
)

__all__ = [
    "PYDANTIC_RESERVED_NAMES",
    "FieldShape",
    "TypeShape",
    "reserved_names_of_base_model",
    "resolve_context",
]


PYDANTIC_RESERVED_NAMES = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "from_orm",
        "json",
        "model_computed_fields",
        "model_config",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_extra",
        "model_fields",
        "model_fields_set",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
    }
)
"""The public attribute names of pydantic's ``BaseModel``, which cannot be fields (names
starting with ``_`` are refused anyway). A constant rather than ``dir(BaseModel)``: importing
pydantic would cost every compiler process about 40 ms; ``reserved_names_of_base_model``
recomputes it and a test keeps the two equal."""


def reserved_names_of_base_model() -> frozenset[str]:
    """``PYDANTIC_RESERVED_NAMES`` computed from the installed pydantic (imports it)."""
    from pydantic import BaseModel

    names = set(dir(BaseModel)) | {"model_config", "model_fields"}
    return frozenset(name for name in names if not name.startswith("_"))


@dataclass
class TypeShape:
    """A resolved type: a scalar annotation, a list, a dict or a nested model.

    Parameters:
        kind: ``"scalar"``, ``"list"``, ``"dict"`` or ``"model"``.
        annotation: the annotation of a scalar (``"str"``, ``"Decimal"``, ``'Literal["a"]'``).
        item: the element type of a list / value type of a dict.
        fields: the fields of a model.
        path: where the type sits in the context (names nested models).
        imports: ``(module, name)`` pairs a declared annotation needs.
    """

    kind: str
    annotation: str = ""
    item: TypeShape | None = None
    fields: list[FieldShape] = field(default_factory=list)
    path: tuple[str, ...] = ()
    imports: frozenset[tuple[str, str]] = frozenset()


@dataclass
class FieldShape:
    """One field of a context model.

    Parameters:
        name: the field (and Jinja attribute) name.
        type: its type.
        optional: whether ``None`` is allowed.
        default: the Python source of its default, ``None`` when required.
        reasons: the evidence, for ``--explain`` (``"printed at welcome.mjml:12"``).
        declared: whether the type comes from a declaration.
        location: where the template first uses (or declares) it, when known.
    """

    name: str
    type: TypeShape
    optional: bool
    default: str | None
    reasons: list[str]
    declared: bool = False
    location: SourceLocation | None = field(default=None, compare=False)


def resolve_context(
    roots: dict[str, PathNode], declarations: dict[tuple[str, ...], Declaration]
) -> TypeShape:
    """The context model of a template from the uses recorded on its variables.

    Parameters:
        roots: context variable → recorded uses (``UsageCollector.roots``).
        declarations: declared types by path; they win over inference.
    """
    root = PathNode(children=dict(roots))
    for path in declarations:
        root.at(path)  # declared paths are fields even when the template never uses them
    errors: list[CompileError] = []
    shape = _model(root, (), declarations, errors)
    if errors:
        raise TemplateCompileError(errors)
    return shape


def _location(node: PathNode) -> SourceLocation | None:
    return node.uses[0].location if node.uses else None


def _first_location(node: PathNode) -> SourceLocation:
    location = _location(node)
    if location is not None:
        return location
    for child in node.children.values():
        return _first_location(child)
    return SourceLocation(Path("<template>"), 1)


def _display(path: tuple[str, ...]) -> str:
    """``order.items[].name``; a segment that is no identifier shows as the key it is
    (``site["site.name"]``)."""
    text = ""
    for segment in path:
        if segment in (ELEMENT, VALUE) or not text:
            text += segment
        elif segment.isidentifier():
            text += f".{segment}"
        else:
            text += f"[{segment!r}]".replace("'", '"')
    return text


def _model(
    node: PathNode,
    path: tuple[str, ...],
    declarations: dict[tuple[str, ...], Declaration],
    errors: list[CompileError],
) -> TypeShape:
    fields: list[FieldShape] = []
    for name, child in sorted(node.attributes().items()):
        child_path = (*path, name)
        problem = _name_problem(name)
        if problem:
            declared = declarations.get(child_path)
            location = declared.location if declared else _first_location(child)
            errors.append(CompileError(location, f"`{_display(child_path)}`: {problem}"))
            continue
        fields.append(_field(name, child, child_path, declarations, errors))
    return TypeShape("model", fields=fields, path=path)


def _name_problem(name: str) -> str | None:
    if not name.isidentifier() and not keyword.iskeyword(name):
        return (
            f"the key {name!r} is not a valid Python identifier, so it cannot be a field; "
            "use keys like `site_name`, or declare the mapping (`x: dict[str, str]`) in a "
            "{# context #} comment"
        )
    if keyword.iskeyword(name):
        return "is not a valid Python identifier; use names like `order_number`"
    if name.startswith("_"):
        return "names starting with `_` are private in pydantic models; rename it"
    if name in PYDANTIC_RESERVED_NAMES:
        return f"`{name}` is a pydantic BaseModel attribute and cannot be a field; rename it"
    return None


def _field(
    name: str,
    node: PathNode,
    path: tuple[str, ...],
    declarations: dict[tuple[str, ...], Declaration],
    errors: list[CompileError],
) -> FieldShape:
    reasons = [use.describe() for use in node.uses]
    declaration = declarations.get(path)
    if declaration is not None:
        shape = TypeShape(
            "scalar", annotation=declaration.annotation, path=path, imports=declaration.imports
        )
        reasons.insert(0, f"declared at {declaration.location.file}:{declaration.location.line}")
        optional = declaration.default == "None"
        return FieldShape(
            name,
            shape,
            optional,
            declaration.default,
            reasons,
            declared=True,
            location=declaration.location,
        )
    shape = _type(node, path, declarations, errors)
    kinds = node.kinds()
    location = _first_location(node)
    if shape.kind == "scalar" and shape.annotation == "bool" and kinds <= GUARD_KINDS:
        reasons.append("only tested: a flag, False when absent")
        return FieldShape(name, shape, False, "False", reasons, location=location)
    if _is_optional(node.uses):
        reasons.append("every use is guarded: optional, None when absent")
        return FieldShape(name, shape, True, "None", reasons, location=location)
    return FieldShape(name, shape, False, None, reasons, location=location)


def _is_optional(uses: list[Use]) -> bool:
    guarded_somewhere = any(use.kind in GUARD_KINDS for use in uses)
    return guarded_somewhere and all(use.guarded or use.kind in GUARD_KINDS for use in uses)


def _type(
    node: PathNode,
    path: tuple[str, ...],
    declarations: dict[tuple[str, ...], Declaration],
    errors: list[CompileError],
) -> TypeShape:
    kinds = node.kinds()
    value_kinds = kinds & (NUMERIC_KINDS | {UseKind.OUTPUT, UseKind.STRING})
    if node.attributes():
        if value_kinds:
            use = next(use for use in node.uses if use.kind in value_kinds)
            attributes = ", ".join(sorted(node.attributes()))
            errors.append(
                CompileError(
                    use.location,
                    f"`{_display(path)}` is {use.kind.value} but also has attributes "
                    f"({attributes}); declare its type in a {{# context #}} comment",
                )
            )
        return _model(node, path, declarations, errors)
    if (
        ELEMENT in node.children
        or kinds & {UseKind.ITERATE}
        or (UseKind.SIZED in kinds and not value_kinds)
    ):
        element = node.children.get(ELEMENT, PathNode())
        item = _element_type(element, (*path, ELEMENT), declarations, errors)
        return TypeShape("list", item=item, path=path)
    if VALUE in node.children or UseKind.MAPPING in kinds:
        value = node.children.get(VALUE, PathNode())
        item = _element_type(value, (*path, VALUE), declarations, errors)
        return TypeShape("dict", item=item, path=path)
    typed = next((use for use in node.uses if use.kind is UseKind.TYPED), None)
    if typed is not None:
        return TypeShape("scalar", annotation=typed.annotation, path=path, imports=typed.imports)
    if UseKind.METHOD in kinds:
        use = next(use for use in node.uses if use.kind is UseKind.METHOD)
        errors.append(
            CompileError(
                use.location,
                f"`{_display(path)}` {use.kind.value} {use.detail}: its type cannot be "
                f"inferred; declare it, e.g. `{_display(path)}: datetime` in a "
                "{# context #} comment",
            )
        )
        return TypeShape("scalar", annotation="str", path=path)
    if kinds & NUMERIC_KINDS:
        integral = kinds & NUMERIC_KINDS == {UseKind.INT}
        return TypeShape("scalar", annotation="int" if integral else "float", path=path)
    if UseKind.TEST in kinds and kinds <= GUARD_KINDS:
        return TypeShape("scalar", annotation="bool", path=path)
    return TypeShape("scalar", annotation="str", path=path)


def _element_type(
    node: PathNode,
    path: tuple[str, ...],
    declarations: dict[tuple[str, ...], Declaration],
    errors: list[CompileError],
) -> TypeShape:
    declaration = declarations.get(path)
    if declaration is not None:
        return TypeShape(
            "scalar", annotation=declaration.annotation, path=path, imports=declaration.imports
        )
    return _type(node, path, declarations, errors)
