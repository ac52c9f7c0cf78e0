"""``MockQueueDriver``: an in-memory queue driver for users' unit tests."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from glasswork.jobs.drivers.base import OutgoingMessage, SendReceipt
from glasswork.jobs.message import JobMessage

if TYPE_CHECKING:
    from glasswork.testing.drain import DrainResult

__all__ = ["EnqueuedJob", "MockQueueDriver"]


@dataclass(frozen=True)
class EnqueuedJob:
    """One message the mock driver accepted.

    Parameters:
        message: the parsed job message (``message.job_name``, ``message.payload``, ...).
        queue: the queue name the job was sent to.
        delay: the delay asked for (zero when sent at once).
        at: the delivery time asked for with ``enqueue_at``, else ``None``.
        message_id: the fake message id returned to the caller.
        outgoing: the message exactly as the job service built it (body, FIFO ids).
    """

    message: JobMessage
    queue: str
    delay: timedelta
    at: datetime | None
    message_id: str
    outgoing: OutgoingMessage

    @property
    def job_name(self) -> str:
        """Shortcut for ``message.job_name``."""
        return self.message.job_name


class MockQueueDriver:
    """Records what is enqueued instead of sending it; use it in your unit tests.

    ``JobService(MockQueueDriver())`` validates, sizes and serialises exactly as with SQS, then
    keeps each message in ``enqueued``. ``simulate_failure(error)`` makes the next sends fail.
    The driver is thread-safe.
    """

    def __init__(self) -> None:
        self.enqueued: list[EnqueuedJob] = []
        self._failures: list[Exception] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    @property
    def last_job(self) -> EnqueuedJob | None:
        """The most recently enqueued job, or ``None``."""
        return self.enqueued[-1] if self.enqueued else None

    def jobs_named(self, job_name: str) -> list[EnqueuedJob]:
        """Every enqueued job with this name, in order."""
        return [job for job in self.enqueued if job.job_name == job_name]

    def clear(self) -> None:
        """Forget every recorded job and pending simulated failure."""
        with self._lock:
            self.enqueued.clear()
            self._failures.clear()

    def simulate_failure(self, error: Exception, *, times: int = 1) -> None:
        """Make the next ``times`` sends fail with ``error`` (a batch entry counts as one send)."""
        with self._lock:
            self._failures.extend([error] * times)

    def drain(self, module_or_worker: Any, **options: Any) -> DrainResult:
        """Run everything enqueued through the real worker path; see ``glasswork.testing.drain``.

        Validation, hooks, retries (on a virtual clock) and dead-letter decisions happen as in
        Lambda; jobs enqueued by handlers on this driver run too. Empties ``enqueued``.
        """
        from glasswork.testing.drain import drain

        return drain(module_or_worker, self, **options)

    def send(
        self, message: OutgoingMessage, *, delay: timedelta, at: datetime | None = None
    ) -> SendReceipt:
        """Record ``message``; raises a simulated failure if one is pending."""
        with self._lock:
            if self._failures:
                raise self._failures.pop(0)
            return self._record(message, delay, at)

    def send_batch(self, messages: Sequence[OutgoingMessage]) -> list[SendReceipt]:
        """Record each message; pending simulated failures fail entries, in order."""
        receipts = []
        with self._lock:
            for message in messages:
                if self._failures:
                    receipts.append(SendReceipt(error=self._failures.pop(0)))
                else:
                    receipts.append(self._record(message, timedelta(0), None))
        return receipts

    def _record(
        self, message: OutgoingMessage, delay: timedelta, at: datetime | None
    ) -> SendReceipt:
        message_id = f"mock-{next(self._ids)}"
        self.enqueued.append(
            EnqueuedJob(
                message=JobMessage.from_json(message.body),
                queue=message.queue,
                delay=delay,
                at=at,
                message_id=message_id,
                outgoing=message,
            )
        )
        return SendReceipt(message_id=message_id)
