"""``compile --explain NAME``: the inferred context of a template, field by field, with reasons."""

from __future__ import annotations

from pathlib import Path

from glasswork_email.compiler.composition import SourceTree
from glasswork_email.compiler.config import CompileConfig, load_config
from glasswork_email.compiler.extensions import CallableNames, prepare_environment
from glasswork_email.compiler.project import discover_templates
from glasswork_email.compiler.shapes import FieldShape, TypeShape
from glasswork_email.compiler.template import compile_template
from glasswork_email.rendering import create_compile_environment

__all__ = ["describe_context", "explain_template"]


def explain_template(source: Path, name: str, config: CompileConfig | None = None) -> str:
    """A report of what the template ``name`` in ``source`` takes as context, and why.

    Parameters:
        source: the templates folder.
        name: the template name (file stem); raises ``LookupError`` naming the known ones.
        config: the compile configuration (default: the one ``source`` has).
    """
    templates = {path.stem: path for path in discover_templates(source)}
    if name not in templates:
        raise LookupError(
            f"no template {name!r} in {source}; known: {', '.join(sorted(templates))}"
        )
    config = config if config is not None else load_config(source)
    html_environment = prepare_environment(create_compile_environment(), config)
    compiled = compile_template(
        SourceTree(source, html_environment),
        templates[name],
        html_environment,
        prepare_environment(create_compile_environment(text=True), config),
        CallableNames.of(html_environment, config),
        config.mjml_validation,
    )
    lines = [f"{name} ({templates[name]})", f"  subject: {compiled.subject}"]
    if compiled.preheader:
        lines.append(f"  preheader: {compiled.preheader}")
    if compiled.dependencies:
        used = ", ".join(sorted(p.as_posix() for p in compiled.dependencies))
        lines.append(f"  uses: {used}")
    lines.append("  context:")
    lines.extend(describe_context(compiled.context, indent="    "))
    return "\n".join(lines)


def _annotation(field: FieldShape) -> str:
    shape = field.type
    if shape.kind == "model":
        text = "model"
    elif shape.kind in ("list", "dict") and shape.item is not None:
        item = "model" if shape.item.kind == "model" else shape.item.annotation
        text = f"list[{item}]" if shape.kind == "list" else f"dict[str, {item}]"
    else:
        text = shape.annotation
    if field.optional and not field.declared:
        text += " | None"
    return text + (f" = {field.default}" if field.default is not None else "")


def describe_context(shape: TypeShape, indent: str = "") -> list[str]:
    """One line per field (nested models indented), each followed by its evidence."""
    lines: list[str] = []
    for field in shape.fields:
        lines.append(f"{indent}{field.name}: {_annotation(field)}")
        for reason in field.reasons:
            lines.append(f"{indent}    - {reason}")
        nested = field.type if field.type.kind == "model" else field.type.item
        if nested is not None and nested.kind == "model" and not field.declared:
            lines.extend(describe_context(nested, indent + "  "))
    return lines
