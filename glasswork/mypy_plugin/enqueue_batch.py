"""``enqueue_batch``: each ``(job, payload)`` pair checked against its job, both types named.

A list, tuple or set display is checked pair by pair, at the line of each pair::

    enqueue_batch item 1: job "send_email" takes "LoginCodeEmail | WelcomeEmail", got
    "ResizeImage"

Any other argument (a comprehension, a generator, a variable) is checked by the pair type mypy
infers for it (``enqueue_batch items: ...``). Pairs of jobs with different payload types are
reported as such (``job.batch_item(payload)`` mixes jobs). Once every pair fits, the payload
type is solved from the jobs, so pairs of one union job with different members of it are
accepted, as pyright accepts them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mypy.checkexpr import has_any_type
from mypy.errorcodes import ARG_TYPE
from mypy.maptype import map_instance_to_supertype
from mypy.messages import format_type
from mypy.nodes import (
    Expression,
    GeneratorExpr,
    ListComprehension,
    ListExpr,
    SetComprehension,
    SetExpr,
    TupleExpr,
)
from mypy.plugin import MethodSigContext
from mypy.subtypes import is_same_type, is_subtype
from mypy.types import (
    AnyType,
    CallableType,
    FunctionLike,
    Instance,
    TupleType,
    Type,
    TypeOfAny,
    UnionType,
    get_proper_type,
)

from glasswork.mypy_plugin.job_types import describe_job, is_any, payload_type_of_job, solved

__all__ = ["ENQUEUE_BATCH", "check_enqueue_batch"]

ENQUEUE_BATCH = "glasswork.jobs.service.JobService.enqueue_batch"
"""The full name of the method whose calls ``check_enqueue_batch`` checks."""

_ITERABLE = "typing.Iterable"
_MIX_HINT = "(job, payload) pairs share one payload type; job.batch_item(payload) mixes jobs"


@dataclass(frozen=True)
class _Pair:
    number: int
    node: TupleExpr
    job_name: str
    takes: Type


def check_enqueue_batch(ctx: MethodSigContext) -> FunctionLike:
    """Report each ill-typed pair passed to the pairs overload of ``enqueue_batch``.

    Returns the signature mypy checks the call with: unchanged when the argument holds no
    ``(JobDefinition, payload)`` pairs, with its type variable solved from the jobs when every
    pair fits, and accepting any items once an error was reported (mypy's own error would
    repeat it, less clearly).
    """
    signature = ctx.default_signature
    if not _takes_pairs(signature) or len(ctx.args) != 1 or len(ctx.args[0]) != 1:
        return signature
    argument = ctx.args[0][0]
    nodes = _pair_nodes(argument)
    if nodes:
        return _check_written_pairs(ctx, nodes)
    return _check_built_pairs(ctx, argument)


def _check_written_pairs(ctx: MethodSigContext, nodes: list[TupleExpr]) -> FunctionLike:
    signature = ctx.default_signature
    pairs: list[_Pair] = []
    for number, node in enumerate(nodes, 1):
        takes = payload_type_of_job(ctx.api.get_expression_type(node.items[0]))
        if takes is None:
            return signature
        pairs.append(_Pair(number, node, describe_job(node.items[0]), takes))
    reference = next((pair for pair in pairs if not is_any(pair.takes)), None)
    if reference is None:
        return signature
    failed = False
    for pair in pairs:
        given = ctx.api.get_expression_type(pair.node.items[1], type_context=pair.takes)
        where = f"item {pair.number}: {pair.job_name}"
        if not is_subtype(given, pair.takes):
            ctx.api.fail(_mismatch(where, pair.takes, given, ctx), pair.node, code=ARG_TYPE)
            failed = True
        elif not is_any(pair.takes) and not is_same_type(pair.takes, reference.takes):
            ctx.api.fail(_mixed(pair, reference, ctx), pair.node, code=ARG_TYPE)
            failed = True
    return _accepting_anything(ctx) if failed else solved(signature, reference.takes)


def _check_built_pairs(ctx: MethodSigContext, argument: Expression) -> FunctionLike:
    signature = ctx.default_signature
    pair = _pair_type(ctx, ctx.api.get_expression_type(argument))
    if pair is None:
        return signature
    takes, given = pair
    if is_any(takes) or has_any_type(given):
        return signature
    if is_subtype(given, takes):
        return solved(signature, takes)
    where = f"items: {describe_job(_built_job(argument))}"
    ctx.api.fail(_mismatch(where, takes, given, ctx), argument, code=ARG_TYPE)
    return _accepting_anything(ctx)


def _accepting_anything(ctx: MethodSigContext) -> CallableType:
    """The signature once the plugin reported an error: any items, so mypy adds none."""
    anything = ctx.api.named_generic_type("builtins.object", [])
    items = ctx.api.named_generic_type(_ITERABLE, [anything])
    return ctx.default_signature.copy_modified(arg_types=[items], variables=[])


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


def _pair_type(ctx: MethodSigContext, argument: Type) -> tuple[Type, Type] | None:
    """``(X, Y)`` when ``argument`` is an iterable of ``tuple[JobDefinition[X], Y]``."""
    proper = get_proper_type(argument)
    if not isinstance(proper, Instance) or not proper.type.has_base(_ITERABLE):
        return None
    iterable = ctx.api.named_generic_type(_ITERABLE, [AnyType(TypeOfAny.special_form)]).type
    item = get_proper_type(map_instance_to_supertype(proper, iterable).args[0])
    if not isinstance(item, TupleType) or len(item.items) != 2:
        return None
    takes = payload_type_of_job(item.items[0])
    return None if takes is None else (takes, item.items[1])


def _built_job(argument: Expression) -> Expression | None:
    """The job expression of a comprehension's or generator's ``(job, payload)``."""
    if isinstance(argument, ListComprehension | SetComprehension):
        argument = argument.generator
    if not isinstance(argument, GeneratorExpr) or not isinstance(argument.left_expr, TupleExpr):
        return None
    items = argument.left_expr.items
    return items[0] if len(items) == 2 else None


def _mismatch(where: str, takes: Type, given: Type, ctx: MethodSigContext) -> str:
    options = ctx.api.options
    message = (
        f"enqueue_batch {where} takes {format_type(takes, options)}, "
        f"got {format_type(given, options)}"
    )
    proper = get_proper_type(given)
    if isinstance(proper, UnionType):
        misfits = [item for item in proper.items if not is_subtype(item, takes)]
        message += f" ({', '.join(format_type(item, options) for item in misfits)} not accepted)"
    return message


def _mixed(pair: _Pair, first: _Pair, ctx: MethodSigContext) -> str:
    options = ctx.api.options
    return (
        f"enqueue_batch item {pair.number}: {pair.job_name} takes "
        f"{format_type(pair.takes, options)} but item {first.number}'s {first.job_name} takes "
        f"{format_type(first.takes, options)}; {_MIX_HINT}"
    )
