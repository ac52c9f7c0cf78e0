"""``JobService``: validates, serialises and enqueues jobs through a queue driver.

The outgoing message type, the delay parser and the trace context are imported with the first
enqueue: a worker builds the service at its cold start, and many workers never enqueue a job.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar, overload

from glasswork.jobs.definition import JobDefinition
from glasswork.jobs.errors import InvalidJobPayloadError, PayloadTooLargeError
from glasswork.jobs.message import JobMessage

if TYPE_CHECKING:
    from glasswork.jobs.batch_item import BatchItem
    from glasswork.jobs.delay import Delay
    from glasswork.jobs.drivers.base import OutgoingMessage, QueueDriver, SendReceipt

__all__ = ["DEFAULT_MAX_MESSAGE_BYTES", "EnqueueResult", "JobService", "OnEnqueued"]

logger = logging.getLogger(__name__)

P = TypeVar("P")

DEFAULT_MAX_MESSAGE_BYTES = 1_048_576
"""SQS's message size limit (1 MiB), in bytes: body plus message attributes."""


# A pattern, not a compiled regex: re compiles (and caches) it with the first FIFO enqueue, not
# at import, as a worker may never enqueue.
_FIFO_ID = r"[!-~]{1,128}"


@dataclass(frozen=True)
class EnqueueResult:
    """What became of one enqueue.

    Parameters:
        job_id: the job's id (in the message body; stable across retries).
        job_name: the job's name.
        message_id: the SQS message id when the message went to the queue now.
        schedule_name: the EventBridge schedule's name when delivery was scheduled.
        error: why the job was not enqueued (only in ``enqueue_batch`` results).
    """

    job_id: str
    job_name: str
    message_id: str | None = None
    schedule_name: str | None = None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        """Whether the job was accepted by the queue or scheduler."""
        return self.error is None


OnEnqueued = Callable[[JobDefinition[Any], EnqueueResult], None]
"""Called after each successful enqueue with the job and its result; errors are logged."""


class JobService:
    """Enqueues typed jobs.

    Every payload is validated against its job's schema and sized against the queue's limit
    before anything is sent.

    Parameters:
        driver: where messages go (``SQSQueueDriver``, or ``MockQueueDriver`` in tests).
        max_message_bytes: message size limit in bytes (default 1,048,576, SQS's limit).
        on_enqueued: optional hook ``on_enqueued(job, result)`` after each successful enqueue.
    """

    def __init__(
        self,
        driver: QueueDriver,
        *,
        max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
        on_enqueued: OnEnqueued | None = None,
    ) -> None:
        self.driver = driver
        self.max_message_bytes = max_message_bytes
        self.on_enqueued = on_enqueued

    def enqueue(
        self, job: JobDefinition[P], payload: P, *, metadata: Mapping[str, Any] | None = None
    ) -> EnqueueResult:
        """Enqueue ``job`` to run as soon as a worker picks it up.

        ``payload`` is an instance of the job's schema (a dict is accepted and validated too).
        Raises ``InvalidJobPayloadError`` or ``PayloadTooLargeError`` before sending anything.
        """
        return self._send(job, payload, timedelta(0), None, metadata)

    def enqueue_in(
        self,
        job: JobDefinition[P],
        payload: P,
        delay: Delay,
        *,
        metadata: Mapping[str, Any] | None = None,
    ) -> EnqueueResult:
        """Enqueue ``job`` to run after ``delay``: ``"30s"``, ``"10m"``, ``"3h"``, ``"2d"``, int
        seconds or a ``timedelta``. Over 15 minutes, delivery goes through EventBridge Scheduler.
        """
        from glasswork.jobs.delay import parse_delay

        return self._send(job, payload, parse_delay(delay), None, metadata)

    def enqueue_at(
        self,
        job: JobDefinition[P],
        payload: P,
        when: datetime,
        *,
        metadata: Mapping[str, Any] | None = None,
    ) -> EnqueueResult:
        """Enqueue ``job`` to run at ``when`` (timezone-aware); a past time means now."""
        from glasswork.jobs.delay import delay_until

        delay = delay_until(when)
        return self._send(job, payload, delay, when if delay else None, metadata)

    @overload
    def enqueue_batch(self, items: Iterable[BatchItem[Any]]) -> list[EnqueueResult]: ...

    @overload
    def enqueue_batch(self, items: Iterable[tuple[JobDefinition[P], P]]) -> list[EnqueueResult]: ...

    def enqueue_batch(
        self, items: Iterable[BatchItem[Any]] | Iterable[tuple[JobDefinition[Any], Any]]
    ) -> list[EnqueueResult]:
        """Enqueue many jobs at once with ``SendMessageBatch`` (≤ 10 entries, ≤ 1 MiB a request).

        ``items`` are ``job.batch_item(payload)`` (any mix of jobs, each payload checked
        against its job by type checkers) or ``(job, payload)`` pairs of one payload type.
        Returns one result per item, in order. An item that fails validation, is too large or
        is refused by the queue gets a result with ``error`` set; the other items are still sent
        and their results returned. Nothing raises for a single bad item.
        """
        # Imported here, not with the module: a worker's cold start has no use for it.
        from glasswork.jobs.batch_item import BatchItem

        prepared: list[tuple[JobDefinition[Any], OutgoingMessage] | EnqueueResult] = []
        for entry in items:
            job, payload = (entry.job, entry.payload) if isinstance(entry, BatchItem) else entry
            try:
                prepared.append((job, self._prepare(job, payload, None)))
            except (InvalidJobPayloadError, PayloadTooLargeError) as error:
                prepared.append(EnqueueResult(job_id="", job_name=job.name, error=error))
        to_send = [item for item in prepared if isinstance(item, tuple)]
        receipts = iter(self.driver.send_batch([message for _job, message in to_send]))
        results: list[EnqueueResult] = []
        for item in prepared:
            if isinstance(item, EnqueueResult):
                results.append(item)
                continue
            job, message = item
            result = _result(message, next(receipts))
            if result.ok:
                self._notify(job, result)
            results.append(result)
        return results

    def _send(
        self,
        job: JobDefinition[P],
        payload: P,
        delay: timedelta,
        at: datetime | None,
        metadata: Mapping[str, Any] | None,
    ) -> EnqueueResult:
        message = self._prepare(job, payload, metadata)
        result = _result(message, self.driver.send(message, delay=delay, at=at))
        self._notify(job, result)
        return result

    def _prepare(
        self, job: JobDefinition[P], payload: object, metadata: Mapping[str, Any] | None
    ) -> OutgoingMessage:
        from glasswork.jobs.drivers.base import OutgoingMessage
        from glasswork.tracing import with_trace_context

        validated = job.validate_payload(payload)
        job_id = uuid.uuid4().hex
        body = JobMessage(
            job_name=job.name,
            payload=job.dump_payload(validated),
            job_id=job_id,
            enqueued_at=datetime.now(UTC),
            metadata=with_trace_context(metadata),
        ).to_json()
        message = OutgoingMessage(
            job_name=job.name,
            job_id=job_id,
            queue=job.queue,
            body=body,
            group_id=_fifo_id(job.group(validated) if job.group else job.queue),
            deduplication_id=_fifo_id(job.unique(validated) if job.unique else job_id),
        )
        if message.size_bytes > self.max_message_bytes:
            raise PayloadTooLargeError(job.name, message.size_bytes, self.max_message_bytes)
        return message

    def _notify(self, job: JobDefinition[Any], result: EnqueueResult) -> None:
        if self.on_enqueued is None:
            return
        try:
            self.on_enqueued(job, result)
        except Exception:
            logger.exception("on_enqueued hook failed for job %s (%s)", job.name, result.job_id)


def _fifo_id(key: str) -> str:
    """A FIFO group/deduplication id: the key itself when SQS accepts it, else its SHA-256."""
    if re.fullmatch(_FIFO_ID, key):
        return key
    return hashlib.sha256(key.encode()).hexdigest()


def _result(message: OutgoingMessage, receipt: SendReceipt) -> EnqueueResult:
    return EnqueueResult(
        job_id=message.job_id,
        job_name=message.job_name,
        message_id=receipt.message_id,
        schedule_name=receipt.schedule_name,
        error=receipt.error,
    )
