"""The constructor parameters of ``TemplatedEmail``, as source for generated payload models.

Every generated payload model repeats them in its ``__init__`` signature for type checkers.
They are a constant rather than read from ``TemplatedEmail.model_fields`` when compiling, so
the compiler does not import the payload model (its pydantic schema build and validators cost
about 40 ms of every cold ``glasswork-email compile``); ``derive_templated_email_parameters``
recomputes them from the model, and a test keeps the two equal.
"""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any, get_args, get_origin

__all__ = ["TEMPLATED_EMAIL_PARAMETERS", "derive_templated_email_parameters"]

TEMPLATED_EMAIL_PARAMETERS = (
    "to: str | list[str]",
    "cc: list[str] = ...",
    "bcc: list[str] = ...",
    "reply_to: list[str] | None = ...",
    "sender: str | None = ...",
    "subject: str | None = ...",
    "tags: dict[str, str] = ...",
    "unsubscribe_url: str | None = ...",
    "idempotency_key: str | None = ...",
    "topic: str | None = ...",
    "transactional: bool = ...",
    "locale: str | None = ...",
)
"""``TemplatedEmail``'s fields as keyword parameters: ``name: annotation`` plus `` = ...`` when
the field has a default (``Annotated`` unwrapped, so ``EmailAddress`` reads ``str``)."""


def derive_templated_email_parameters() -> tuple[str, ...]:
    """``TEMPLATED_EMAIL_PARAMETERS`` computed from ``TemplatedEmail.model_fields`` (imports it)."""
    from pydantic_core import PydanticUndefined

    from glasswork_email.payload import TemplatedEmail

    parameters: list[str] = []
    for field_name, field in TemplatedEmail.model_fields.items():
        required = field.default is PydanticUndefined and field.default_factory is None
        default = "" if required else " = ..."
        parameters.append(f"{field_name}: {_annotation_source(field.annotation)}{default}")
    return tuple(parameters)


def _annotation_source(annotation: Any) -> str:
    """Python source for a ``TemplatedEmail`` field annotation (``Annotated`` unwrapped)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _annotation_source(get_args(annotation)[0])
    if origin in (types.UnionType, typing.Union):
        return " | ".join(_annotation_source(arg) for arg in get_args(annotation))
    if origin in (list, dict, set, tuple):
        return (
            f"{origin.__name__}[{', '.join(_annotation_source(a) for a in get_args(annotation))}]"
        )
    if annotation is type(None):
        return "None"
    if annotation in (str, int, float, bool):
        return str(annotation.__name__)
    raise TypeError(f"cannot write TemplatedEmail annotation {annotation!r} as source")
