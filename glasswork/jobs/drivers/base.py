"""The ``QueueDriver`` protocol: what the job service hands a driver, and what comes back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from glasswork.jobs.message import JOB_NAME_ATTRIBUTE

__all__ = ["OutgoingMessage", "QueueDriver", "SendReceipt"]


@dataclass(frozen=True)
class OutgoingMessage:
    """One job message ready to send.

    Parameters:
        job_name: the job's name (also sent as the ``JobName`` message attribute).
        job_id: the job id inside ``body``.
        queue: the queue's name, a key of the driver's queue map.
        body: the JSON body (a serialised ``JobMessage``).
        group_id: FIFO message group id; ignored by standard queues.
        deduplication_id: FIFO deduplication id; ignored by standard queues.
    """

    job_name: str
    job_id: str
    queue: str
    body: str
    group_id: str
    deduplication_id: str

    @property
    def size_bytes(self) -> int:
        """Size as SQS counts it against its limit: body plus message attribute name/type/value."""
        attribute = len(JOB_NAME_ATTRIBUTE) + len("String") + len(self.job_name.encode())
        return len(self.body.encode()) + attribute


@dataclass(frozen=True)
class SendReceipt:
    """What became of one message: sent to the queue, scheduled, or failed.

    Parameters:
        message_id: the queue's message id, when sent now.
        schedule_name: the one-time schedule's name, when delivery was scheduled.
        error: why the message was not accepted (set only for failures in a batch).
    """

    message_id: str | None = None
    schedule_name: str | None = None
    error: Exception | None = None


@runtime_checkable
class QueueDriver(Protocol):
    """Where the job service sends messages: ``SQSQueueDriver``, ``MockQueueDriver``."""

    def send(
        self, message: OutgoingMessage, *, delay: timedelta, at: datetime | None = None
    ) -> SendReceipt:
        """Send one message now, after ``delay``, or at ``at`` (``delay`` is then until ``at``).

        Raises on failure.
        """
        ...

    def send_batch(self, messages: Sequence[OutgoingMessage]) -> list[SendReceipt]:
        """Send many messages without delay; one receipt per message, in order, failures included.

        Never raises for a failed entry: its receipt carries the error.
        """
        ...
