"""A mypy plugin: ``enqueue_batch`` pairs checked against the payload type each job takes.

Enable it in the mypy configuration with ``plugins = ["glasswork.mypy_plugin"]``. mypy imports
this module; glasswork itself never does, so the worker does not load mypy.

Without it, mypy rejects ``job_service.enqueue_batch([(send_email, ResizeImage(...))])`` with
``Cannot infer value of type parameter`` or a ``BatchItem[Any]`` mismatch: the job fixes the
payload type and the payload pulls it elsewhere, and mypy reports neither. With it, each
``(job, payload)`` pair of a list, tuple or set display is checked against its job where it is
written, and the error names both types::

    enqueue_batch item 1: job "send_email" takes "LoginCodeEmail | WelcomeEmail", got
    "ResizeImage"

Pairs of jobs with different payload types are reported as such (``job.batch_item(payload)``
mixes jobs). Once every pair fits, the payload type is solved from the jobs, so pairs of one
union job with different members of it are accepted, as pyright accepts them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mypy.errorcodes import ARG_TYPE
from mypy.expandtype import expand_type
from mypy.maptype import map_instance_to_supertype
from mypy.messages import format_type
from mypy.nodes import Expression, ListExpr, MemberExpr, NameExpr, SetExpr, TupleExpr
from mypy.plugin import MethodSigContext, Plugin
from mypy.subtypes import is_same_type, is_subtype
from mypy.types import (
    AnyType,
    CallableType,
    FunctionLike,
    Instance,
    TupleType,
    Type,
    UnionType,
    get_proper_type,
)

__all__ = ["ENQUEUE_BATCH", "GlassworkPlugin", "plugin"]

ENQUEUE_BATCH = "glasswork.jobs.service.JobService.enqueue_batch"
"""The full name of the method whose calls the plugin checks."""

_JOB_DEFINITION = "glasswork.jobs.definition.JobDefinition"
_MIX_HINT = "(job, payload) pairs share one payload type; job.batch_item(payload) mixes jobs"


class GlassworkPlugin(Plugin):
    """Checks the ``(job, payload)`` pairs given to ``JobService.enqueue_batch``."""

    def get_method_signature_hook(
        self, fullname: str
    ) -> Callable[[MethodSigContext], FunctionLike] | None:
        """The pair check for ``JobService.enqueue_batch``; no hook for any other method."""
        return check_enqueue_batch if fullname == ENQUEUE_BATCH else None


def plugin(version: str) -> type[Plugin]:
    """mypy's entry point: the plugin class (any mypy version with this plugin API)."""
    return GlassworkPlugin


@dataclass(frozen=True)
class _Pair:
    number: int
    node: TupleExpr
    job_name: str
    takes: Type


def check_enqueue_batch(ctx: MethodSigContext) -> FunctionLike:
    """Report each ill-typed pair of a display passed to the pairs overload of ``enqueue_batch``.

    Returns the signature mypy checks the call with: unchanged when the argument is not a
    display of pairs, with its type variable solved from the jobs when every pair fits, and
    accepting any items once an error was reported (mypy's own error would repeat it, less
    clearly).
    """
    signature = ctx.default_signature
    if not _takes_pairs(signature) or len(ctx.args) != 1 or len(ctx.args[0]) != 1:
        return signature
    nodes = _pair_nodes(ctx.args[0][0])
    if not nodes:
        return signature
    pairs: list[_Pair] = []
    for number, node in enumerate(nodes, 1):
        takes = _payload_type_of_job(ctx.api.get_expression_type(node.items[0]))
        if takes is None:
            return signature
        pairs.append(_Pair(number, node, _describe(node.items[0]), takes))
    reference = next((pair for pair in pairs if not _is_any(pair.takes)), None)
    if reference is None:
        return signature
    failed = False
    for pair in pairs:
        given = ctx.api.get_expression_type(pair.node.items[1], type_context=pair.takes)
        if not is_subtype(given, pair.takes):
            ctx.api.fail(_mismatch(pair, given, ctx), pair.node, code=ARG_TYPE)
            failed = True
        elif not _is_any(pair.takes) and not is_same_type(pair.takes, reference.takes):
            ctx.api.fail(_mixed(pair, reference, ctx), pair.node, code=ARG_TYPE)
            failed = True
    if failed:
        anything = ctx.api.named_generic_type("builtins.object", [])
        items = ctx.api.named_generic_type("typing.Iterable", [anything])
        return signature.copy_modified(arg_types=[items], variables=[])
    solved = {variable.id: reference.takes for variable in signature.variables}
    return expand_type(signature, solved).copy_modified(variables=[])


def _takes_pairs(signature: CallableType) -> bool:
    """Whether this is the overload whose items are ``tuple[JobDefinition[P], P]``."""
    if len(signature.arg_types) != 1:
        return False
    items = get_proper_type(signature.arg_types[0])
    if not isinstance(items, Instance) or len(items.args) != 1:
        return False
    return isinstance(get_proper_type(items.args[0]), TupleType)


def _pair_nodes(argument: Expression) -> list[TupleExpr]:
    """The two-element tuple displays of a list, tuple or set display; empty for anything else."""
    if not isinstance(argument, ListExpr | TupleExpr | SetExpr):
        return []
    items: Sequence[Expression] = argument.items
    if not all(isinstance(item, TupleExpr) and len(item.items) == 2 for item in items):
        return []
    return [item for item in items if isinstance(item, TupleExpr)]


def _payload_type_of_job(job: Type) -> Type | None:
    """``X`` for a ``JobDefinition[X]`` (or a subclass of it); ``None`` for anything else."""
    proper = get_proper_type(job)
    if not isinstance(proper, Instance) or not proper.type.has_base(_JOB_DEFINITION):
        return None
    definition = next(base for base in proper.type.mro if base.fullname == _JOB_DEFINITION)
    return map_instance_to_supertype(proper, definition).args[0]


def _is_any(payload_type: Type) -> bool:
    return isinstance(get_proper_type(payload_type), AnyType)


def _describe(job: Expression) -> str:
    """``job "send_email"`` for a name or an attribute path, plain ``job`` otherwise."""
    path = _dotted(job)
    return f'job "{path}"' if path else "job"


def _dotted(node: Expression) -> str | None:
    if isinstance(node, NameExpr):
        return node.name
    if isinstance(node, MemberExpr):
        owner = _dotted(node.expr)
        return f"{owner}.{node.name}" if owner else None
    return None


def _mismatch(pair: _Pair, given: Type, ctx: MethodSigContext) -> str:
    options = ctx.api.options
    message = (
        f"enqueue_batch item {pair.number}: {pair.job_name} takes "
        f"{format_type(pair.takes, options)}, got {format_type(given, options)}"
    )
    proper = get_proper_type(given)
    if isinstance(proper, UnionType):
        misfits = [item for item in proper.items if not is_subtype(item, pair.takes)]
        message += f" ({', '.join(format_type(item, options) for item in misfits)} not accepted)"
    return message


def _mixed(pair: _Pair, first: _Pair, ctx: MethodSigContext) -> str:
    options = ctx.api.options
    return (
        f"enqueue_batch item {pair.number}: {pair.job_name} takes "
        f"{format_type(pair.takes, options)} but item {first.number}'s {first.job_name} takes "
        f"{format_type(first.takes, options)}; {_MIX_HINT}"
    )
