"""The context models of one template as Python classes: leaves first, named by their path.

``ModelWriter`` turns a resolved context type (``shapes.TypeShape``) into pydantic model
classes, each with an explicit keyword-only ``__init__`` signature for type checkers, so mypy
checks constructor arguments whatever the pydantic plugin's ``init_typed`` setting.
"""

from __future__ import annotations

from glasswork_email.compiler.code_layout import (
    LINE_LENGTH,
    PARAMETER_INDENT,
    annotated,
    wrapped,
)
from glasswork_email.compiler.naming import camel_case, singular
from glasswork_email.compiler.shapes import FieldShape, TypeShape
from glasswork_email.compiler.template import CompiledEmail

__all__ = ["ModelWriter", "camel_case", "singular"]


class ModelWriter:
    """Collects the classes of one template module: context models first, leaves first.

    Parameters:
        template: the compiled template whose context models to write.
    """

    def __init__(self, template: CompiledEmail) -> None:
        """Start the module of ``template`` (its classes are prefixed with its name)."""
        self.template = template
        self.prefix = camel_case(template.name)
        self.class_names: dict[int, str] = {}
        self.used_names: set[str] = set()
        self.classes: list[list[str]] = []
        self.imports: set[tuple[str, str]] = set()

    def model_name(self, shape: TypeShape) -> str:
        """The class name of model ``shape``: the prefix and its path (``WelcomeUser``)."""
        if id(shape) in self.class_names:
            return self.class_names[id(shape)]
        if not shape.path:
            name = f"{self.prefix}Context"
        else:
            segments: list[str] = []
            for index, segment in enumerate(shape.path):
                if segment in ("[]", "{}"):
                    continue
                following = shape.path[index + 1 : index + 2]
                segments.append(singular(segment) if following == ("[]",) else segment)
            name = self.prefix + "".join(camel_case(segment) for segment in segments)
        candidate, counter = name, 2
        while candidate in self.used_names:
            candidate, counter = f"{name}{counter}", counter + 1
        self.used_names.add(candidate)
        self.class_names[id(shape)] = candidate
        return candidate

    def annotation(self, shape: TypeShape) -> str:
        """The annotation of ``shape``, writing the model classes it needs."""
        self.imports |= shape.imports
        if shape.kind == "model":
            return self.write_model(shape)
        if shape.kind == "list":
            assert shape.item is not None
            return f"list[{self.annotation(shape.item)}]"
        if shape.kind == "dict":
            assert shape.item is not None
            return f"dict[str, {self.annotation(shape.item)}]"
        return shape.annotation

    def field_annotation(self, field: FieldShape) -> str:
        """The annotation of ``field`` (``| None`` when optional and not declared)."""
        annotation = self.annotation(field.type)
        if field.optional and not field.declared:
            annotation += " | None"
        return annotation

    def write_model(self, shape: TypeShape) -> str:
        """Write the class of model ``shape`` (after the models of its fields); its name."""
        name = self.model_name(shape)
        annotations = [(field, self.field_annotation(field)) for field in shape.fields]
        where = ".".join(s for s in shape.path if s not in ("[]", "{}")) or "context"
        doc = (
            f"The context of the ``{self.template.name}`` email."
            if not shape.path
            else f"``{where}`` in the context of the ``{self.template.name}`` email."
        )
        lines = [
            f"class {name}(BaseModel):",
            f'    """{doc}"""',
            "",
            '    model_config = ConfigDict(extra="forbid", defer_build=True)',
        ]
        if annotations:
            lines.append("")
        for field, annotation in annotations:
            default = f" = {field.default}" if field.default is not None else ""
            lines += annotated("    ", field.name, annotation, default, in_brackets=False)
        parameters = ["self"]
        if annotations:
            parameters.append("*")
        parameters += [
            f"{field.name}: {annotation}" + (" = ..." if field.default is not None else "")
            for field, annotation in annotations
        ]
        lines += ["", "    if TYPE_CHECKING:", ""]
        signature = wrapped("def __init__(", parameters, ") -> None: ...", "        ")
        if len(signature) > 1:  # one parameter a line: lay out each long annotation
            long_parameters = {
                f"{PARAMETER_INDENT}{parameter},": (field, annotation)
                for parameter, (field, annotation) in zip(parameters[2:], annotations, strict=True)
            }
            for line in signature:
                if len(line) <= LINE_LENGTH or line not in long_parameters:
                    lines.append(line)
                    continue
                field, annotation = long_parameters[line]
                suffix = (" = ..." if field.default is not None else "") + ","
                lines += annotated(
                    PARAMETER_INDENT, field.name, annotation, suffix, in_brackets=True
                )
        else:
            lines += signature
        self.classes.append(lines)
        return name
