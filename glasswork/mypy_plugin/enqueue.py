"""``enqueue``, ``enqueue_in`` and ``enqueue_at``: the payload type taken from the job."""

from __future__ import annotations

from mypy.plugin import MethodSigContext
from mypy.types import FunctionLike

from glasswork.mypy_plugin.job_types import is_any, payload_type_of_job, solved

__all__ = ["ENQUEUE_ONE", "solve_from_job"]

ENQUEUE_ONE = frozenset(
    f"glasswork.jobs.service.JobService.{name}" for name in ("enqueue", "enqueue_in", "enqueue_at")
)
"""The full names of the methods that enqueue one ``(job, payload)``."""


def solve_from_job(ctx: MethodSigContext) -> FunctionLike:
    """The signature with the payload type variable bound to the job's payload type.

    mypy then reports a wrong payload as ``Argument 2 to "enqueue" of "JobService" has
    incompatible type "X"; expected "Y"`` instead of failing to infer the variable. Unchanged
    when the job is not a typed ``JobDefinition``.
    """
    signature = ctx.default_signature
    if "job" not in signature.arg_names:
        return signature
    jobs = ctx.args[signature.arg_names.index("job")]
    if len(jobs) != 1:
        return signature
    takes = payload_type_of_job(ctx.api.get_expression_type(jobs[0]))
    if takes is None or is_any(takes):
        return signature
    return solved(signature, takes)
