"""``BatchItem``: one job and its payload, typed together, for ``JobService.enqueue_batch``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from glasswork.jobs.definition import JobDefinition

__all__ = ["BatchItem"]

P = TypeVar("P")


@dataclass(frozen=True)
class BatchItem(Generic[P]):
    """A job and the payload to enqueue it with; create one with ``job.batch_item(payload)``.

    Type checkers check ``payload`` against the job's payload type where the item is made, so
    a batch may mix jobs and a mismatch names the payload type the job expects.

    Parameters:
        job: the job.
        payload: its payload (an instance of the job's schema; a dict is validated too).
    """

    job: JobDefinition[P]
    payload: P
