"""A sample context for any generated context model: one plausible value per field.

Each string is a distinct word made from the field's name, so that two values printed side by
side show whether the text part keeps the space between them.
"""

from __future__ import annotations

import types
import typing
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import BaseModel


def sample_context(model: type[BaseModel], prefix: str = "") -> dict[str, Any]:
    """A JSON-compatible dict that ``model`` validates, every optional field filled in."""
    return {
        name: sample_value(field.annotation, f"{prefix}{name}")
        for name, field in model.model_fields.items()
    }


def sample_value(annotation: Any, name: str) -> Any:
    """A value of ``annotation`` for the field ``name``."""
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        present = [a for a in arguments if a is not type(None)]
        return sample_value(present[0], name)
    if origin is typing.Literal:
        return arguments[0]
    if origin is list:
        return [sample_value(arguments[0], f"{name}{index}") for index in (1, 2)]
    if origin is dict:
        return {f"{name}key": sample_value(arguments[1], f"{name}value")}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return sample_context(annotation, f"{name}_")
    simple: dict[Any, Any] = {
        bool: True,
        int: 3,
        float: 2.5,
        Decimal: "12.50",
        date: "2024-06-01",
        datetime: datetime(2024, 6, 1, 9, 30, tzinfo=UTC).isoformat(),
        time: "09:30:00",
        UUID: "12345678-1234-5678-1234-567812345678",
    }
    if annotation in simple:
        return simple[annotation]
    if getattr(annotation, "__name__", "") == "EmailAddress":
        return f"{name.replace('_', '.')}@example.com"
    return "".join(part.capitalize() for part in name.split("_")) or "Value"
