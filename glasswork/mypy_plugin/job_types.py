"""What the plugin reads from a job: the payload type of a ``JobDefinition`` and its name."""

from __future__ import annotations

from mypy.expandtype import expand_type
from mypy.maptype import map_instance_to_supertype
from mypy.nodes import Expression, MemberExpr, NameExpr
from mypy.types import AnyType, CallableType, Instance, Type, get_proper_type

__all__ = ["describe_job", "is_any", "payload_type_of_job", "solved"]

JOB_DEFINITION = "glasswork.jobs.definition.JobDefinition"
"""The full name of the class whose type argument is a job's payload type."""


def payload_type_of_job(job: Type) -> Type | None:
    """``X`` for a ``JobDefinition[X]`` (or a subclass of it); ``None`` for anything else."""
    proper = get_proper_type(job)
    if not isinstance(proper, Instance) or not proper.type.has_base(JOB_DEFINITION):
        return None
    definition = next(base for base in proper.type.mro if base.fullname == JOB_DEFINITION)
    return map_instance_to_supertype(proper, definition).args[0]


def is_any(payload_type: Type) -> bool:
    """Whether a job's payload type is ``Any`` (an untyped job fits any payload)."""
    return isinstance(get_proper_type(payload_type), AnyType)


def solved(signature: CallableType, payload_type: Type) -> CallableType:
    """``signature`` with its payload type variable bound to ``payload_type``."""
    bound = {variable.id: payload_type for variable in signature.variables}
    return expand_type(signature, bound).copy_modified(variables=[])


def describe_job(job: Expression | None) -> str:
    """``job "send_email"`` for a name or an attribute path, plain ``job`` otherwise."""
    path = _dotted(job) if job is not None else None
    return f'job "{path}"' if path else "job"


def _dotted(node: Expression) -> str | None:
    if isinstance(node, NameExpr):
        return node.name
    if isinstance(node, MemberExpr):
        owner = _dotted(node.expr)
        return f"{owner}.{node.name}" if owner else None
    return None
