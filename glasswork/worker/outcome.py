"""How one record ended (``Outcome``, ``RecordResult``) and the batch response built from that."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from glasswork.worker.events import BatchResponse

__all__ = ["Outcome", "RecordResult", "batch_response", "milliseconds"]


class Outcome(enum.Enum):
    """The end of one delivery of one record.

    ``SUCCEEDED``, ``IGNORED``, ``DEAD_LETTERED`` and ``DISCARDED`` acknowledge the message (it
    leaves the queue); the others report it failed, so SQS delivers it again.
    """

    SUCCEEDED = "succeeded"
    """The handler returned."""
    IGNORED = "ignored"
    """The handler returned ``Ignored(reason)``: it chose not to do its work (an email whose
    every recipient is suppressed). Not a failure; the reason is the result's ``reason``."""
    RETRY_SCHEDULED = "retry_scheduled"
    """The handler failed with attempts left; the message comes back after a backoff."""
    DEAD_LETTERED = "dead_lettered"
    """Sent to the dead-letter queue (permanent error, retries exhausted, or poison message)."""
    DISCARDED = "discarded"
    """Dropped with a log line because the job's policy says ``dead=False``."""
    FAILED = "failed"
    """Should have been dead-lettered but could not be (no DLQ known, or the send failed), or
    the worker itself failed: left on the queue so nothing is lost."""
    SKIPPED = "skipped"
    """Not started: Lambda time was running out, or an earlier message of its FIFO group failed."""

    @property
    def acknowledges(self) -> bool:
        """Whether the message leaves the queue."""
        # Identity tests: hashing an enum member costs more than the three comparisons.
        return (
            self is Outcome.SUCCEEDED
            or self is Outcome.DEAD_LETTERED
            or self is Outcome.DISCARDED
            or self is Outcome.IGNORED
        )


class RecordResult:
    """What happened to one record (read-only by convention; not frozen, as that costs time).

    Parameters:
        message_id: the SQS message id (the ``itemIdentifier`` of a batch item failure).
        outcome: how it ended.
        job_name: the job, when the body named one.
        job_id: the job id, when the body carried one.
        attempt_number: ``ApproximateReceiveCount`` of this delivery.
        duration_seconds: time spent in the handler, in seconds (0 when it did not run).
        error: the error the handler raised, or why the message is poison.
        retry_in_seconds: the backoff set on the message, for ``RETRY_SCHEDULED``.
        reason: a short machine-readable reason for non-successful outcomes, and the
            handler's own for ``IGNORED``.
    """

    # A plain class, not a dataclass: made once per record, and a dataclass costs a cold start
    # about half a millisecond to build its methods. Arguments keep the fields' order.
    __slots__ = (
        "attempt_number",
        "duration_seconds",
        "error",
        "job_id",
        "job_name",
        "message_id",
        "outcome",
        "reason",
        "retry_in_seconds",
    )

    def __init__(
        self,
        message_id: str,
        outcome: Outcome,
        job_name: str | None = None,
        job_id: str | None = None,
        attempt_number: int = 1,
        duration_seconds: float = 0.0,
        error: BaseException | None = None,
        retry_in_seconds: int | None = None,
        reason: str | None = None,
    ) -> None:
        self.message_id = message_id
        self.outcome = outcome
        self.job_name = job_name
        self.job_id = job_id
        self.attempt_number = attempt_number
        self.duration_seconds = duration_seconds
        self.error = error
        self.retry_in_seconds = retry_in_seconds
        self.reason = reason

    def __repr__(self) -> str:
        return (
            f"RecordResult(message_id={self.message_id!r}, outcome={self.outcome!r}, "
            f"job_name={self.job_name!r}, job_id={self.job_id!r}, "
            f"attempt_number={self.attempt_number!r}, "
            f"duration_seconds={self.duration_seconds!r}, error={self.error!r}, "
            f"retry_in_seconds={self.retry_in_seconds!r}, reason={self.reason!r})"
        )


def batch_response(results: Iterable[RecordResult]) -> BatchResponse:
    """The Lambda response listing exactly the records SQS must deliver again."""
    succeeded = Outcome.SUCCEEDED
    return {
        "batchItemFailures": [
            {"itemIdentifier": result.message_id}
            for result in results
            if result.outcome is not succeeded and not result.outcome.acknowledges
        ]
    }


def milliseconds(seconds: float) -> float:
    """``seconds`` in milliseconds, to the microsecond: how outcome lines, metrics and direct
    invocations give durations (whole microseconds over 1000: cheaper than ``round(ms, 3)``,
    whose decimal rounding is slow, and it prints as the same short decimal)."""
    return round(seconds * 1_000_000) / 1000
