"""The SQS queue driver: job messages to SQS, long delays through EventBridge Scheduler.

What sending needs (``drivers/base.py``, ``drivers/queue_address.py``) is imported with the
first send, and the scheduler with the first delivery that needs it: a worker builds this
driver at its cold start, and many never enqueue a job.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from glasswork.jobs.errors import (
    QueueSendError,
    SchedulerNotConfiguredError,
    UnknownQueueError,
)
from glasswork.jobs.message import JOB_NAME_ATTRIBUTE

if TYPE_CHECKING:
    from glasswork.jobs.drivers.base import OutgoingMessage, SendReceipt
    from glasswork.jobs.drivers.queue_address import QueueAddress
    from glasswork.jobs.drivers.scheduler import OneTimeScheduler
    from glasswork.jobs.drivers.scheduler_config import SchedulerConfig

__all__ = [
    "SQS_BATCH_MAX_BYTES",
    "SQS_BATCH_MAX_ENTRIES",
    "SQS_MAX_DELAY_SECONDS",
    "SQSQueueDriver",
]

logger = logging.getLogger(__name__)

SQS_MAX_DELAY_SECONDS = 900
"""Longest per-message ``DelaySeconds`` SQS accepts (15 minutes), in seconds."""

SQS_BATCH_MAX_ENTRIES = 10
"""Most entries one ``SendMessageBatch`` request may carry."""

SQS_BATCH_MAX_BYTES = 1_048_576
"""Most bytes (all entries together) one ``SendMessageBatch`` request may carry (1 MiB)."""

DEFAULT_BATCH_CONCURRENCY = 8
"""How many ``SendMessageBatch`` requests to standard queues are in flight at once."""


class SQSQueueDriver:
    """Sends job messages to SQS queues.

    Delays up to 15 minutes use SQS's ``DelaySeconds``; longer delays, times beyond 15 minutes,
    and any delay on a FIFO queue (FIFO queues refuse per-message delays) become one-time
    EventBridge Scheduler schedules — which needs ``scheduler``; without it such a delivery
    raises ``SchedulerNotConfiguredError``. FIFO queues get ``MessageGroupId`` and
    ``MessageDeduplicationId`` from the message.

    Parameters:
        queues: queue name → queue URL; jobs name their queue (default ``"default"``).
        region: AWS region (default: boto3's, from the environment).
        endpoint_url: a custom endpoint (a local emulator); default: boto3's (it honours
            ``AWS_ENDPOINT_URL``).
        scheduler: ``SchedulerConfig`` enabling delays beyond 15 minutes (default none).
        client: a ready boto3 SQS client (default: one made on first use, with botocore's
            ``standard`` retry mode).
        scheduler_client: a ready boto3 ``scheduler`` client (default: made on first use).
        batch_concurrency: ``SendMessageBatch`` requests in flight at once for standard queues
            (default 8); FIFO queues are always sent in order, one request at a time.
    """

    def __init__(
        self,
        queues: Mapping[str, str],
        *,
        region: str | None = None,
        endpoint_url: str | None = None,
        scheduler: SchedulerConfig | None = None,
        client: Any = None,
        scheduler_client: Any = None,
        batch_concurrency: int = DEFAULT_BATCH_CONCURRENCY,
    ) -> None:
        if not queues:
            raise ValueError("SQSQueueDriver needs at least one queue URL in `queues`")
        self.queues = dict(queues)
        self.region = region
        self.endpoint_url = endpoint_url
        self.scheduler_config = scheduler
        self.batch_concurrency = max(1, batch_concurrency)
        self._client = client
        self._scheduler_client = scheduler_client
        self._lock = threading.Lock()

    @property
    def client(self) -> Any:
        """The boto3 SQS client, made on first use."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._make_client("sqs")
        return self._client

    def _make_client(self, service: Literal["sqs", "scheduler"]) -> Any:
        import boto3
        from botocore.config import Config as BotocoreConfig

        options: dict[str, Any] = {
            "region_name": self.region,
            "endpoint_url": self.endpoint_url,
            "config": BotocoreConfig(retries={"mode": "standard"}),
        }
        # boto3's stubs type ``client`` per literal service name, hence one call for each
        if service == "sqs":
            return boto3.client("sqs", **options)
        return boto3.client("scheduler", **options)

    @property
    def scheduler(self) -> OneTimeScheduler:
        """The one-time scheduler; raises ``SchedulerNotConfiguredError`` without a config."""
        if self.scheduler_config is None:
            raise SchedulerNotConfiguredError(
                "this delivery needs EventBridge Scheduler (delay over 15 minutes, or a delay on "
                "a FIFO queue): pass scheduler=SchedulerConfig(role_arn=...) to SQSQueueDriver"
            )
        from glasswork.jobs.drivers.scheduler import OneTimeScheduler

        if self._scheduler_client is None:
            with self._lock:
                if self._scheduler_client is None:
                    self._scheduler_client = self._make_client("scheduler")
        return OneTimeScheduler(self._scheduler_client, self.scheduler_config)

    def address(self, queue: str, job_name: str = "") -> QueueAddress:
        """The ``QueueAddress`` of ``queue``; ``UnknownQueueError`` if it is not configured."""
        from glasswork.jobs.drivers.queue_address import QueueAddress

        try:
            url = self.queues[queue]
        except KeyError:
            who = f"job {job_name!r} uses " if job_name else ""
            raise UnknownQueueError(
                f"{who}queue {queue!r}, which SQSQueueDriver does not know; configured queues: "
                f"{sorted(self.queues)}"
            ) from None
        region = self.region or self.client.meta.region_name
        return QueueAddress(url, region)

    def send(
        self, message: OutgoingMessage, *, delay: timedelta, at: datetime | None = None
    ) -> SendReceipt:
        """Send ``message`` now, after ``delay`` or at ``at``; see the class docstring."""
        from glasswork.jobs.drivers.base import SendReceipt

        queue = self.address(message.queue, message.job_name)
        delay_seconds = max(0, round(delay.total_seconds()))
        needs_schedule = delay_seconds > SQS_MAX_DELAY_SECONDS or (queue.is_fifo and delay_seconds)
        if needs_schedule:
            when = at if at is not None else datetime.now(UTC) + delay
            if queue.is_fifo and self.scheduler_config is None:
                raise SchedulerNotConfiguredError(
                    f"job {message.job_name!r}: FIFO queue {queue.name!r} does not accept "
                    "per-message delays; configure SQSQueueDriver(scheduler=SchedulerConfig(...)) "
                    "to deliver delayed FIFO jobs through EventBridge Scheduler"
                )
            return SendReceipt(schedule_name=self.scheduler.schedule(message, queue, when))
        request: dict[str, Any] = {
            "QueueUrl": queue.url,
            "MessageBody": message.body,
            "MessageAttributes": _attributes(message),
            **_fifo_fields(message, queue),
        }
        if delay_seconds and not queue.is_fifo:
            request["DelaySeconds"] = delay_seconds
        response = self.client.send_message(**request)
        return SendReceipt(message_id=response["MessageId"])

    def send_batch(self, messages: Sequence[OutgoingMessage]) -> list[SendReceipt]:
        """Send ``messages`` with ``SendMessageBatch``: ≤ 10 entries and ≤ 1 MiB per request.

        Returns one receipt per message, in order; a failed entry or request never hides the
        others' results.
        """
        from glasswork.jobs.drivers.base import SendReceipt

        receipts: list[SendReceipt | None] = [None] * len(messages)
        chunks_by_queue: dict[str, list[list[int]]] = {}
        for index, message in enumerate(messages):
            try:
                self.address(message.queue, message.job_name)
            except UnknownQueueError as error:
                receipts[index] = SendReceipt(error=error)
                continue
            chunks = chunks_by_queue.setdefault(message.queue, [])
            _add_to_chunks(chunks, index, messages)
        ordered: list[tuple[QueueAddress, list[int]]] = []
        parallel: list[tuple[QueueAddress, list[int]]] = []
        for queue_name, chunks in chunks_by_queue.items():
            queue = self.address(queue_name)
            (ordered if queue.is_fifo else parallel).extend((queue, chunk) for chunk in chunks)
        for queue, chunk in ordered:
            self._send_chunk(queue, chunk, messages, receipts)
        if len(parallel) == 1 or self.batch_concurrency == 1:
            for queue, chunk in parallel:
                self._send_chunk(queue, chunk, messages, receipts)
        elif parallel:
            with ThreadPoolExecutor(max_workers=min(self.batch_concurrency, len(parallel))) as pool:
                for future in [
                    pool.submit(self._send_chunk, queue, chunk, messages, receipts)
                    for queue, chunk in parallel
                ]:
                    future.result()
        return [
            receipt or SendReceipt(error=QueueSendError("NotSent", "not sent"))
            for receipt in receipts
        ]

    def _send_chunk(
        self,
        queue: QueueAddress,
        chunk: list[int],
        messages: Sequence[OutgoingMessage],
        receipts: list[SendReceipt | None],
    ) -> None:
        from glasswork.jobs.drivers.base import SendReceipt

        entries = [
            {
                "Id": str(index),
                "MessageBody": messages[index].body,
                "MessageAttributes": _attributes(messages[index]),
                **_fifo_fields(messages[index], queue),
            }
            for index in chunk
        ]
        try:
            response = self.client.send_message_batch(QueueUrl=queue.url, Entries=entries)
        except Exception as error:  # the whole request failed: every entry in it failed
            logger.warning("SendMessageBatch to %s failed: %s", queue.name, error)
            for index in chunk:
                receipts[index] = SendReceipt(error=error)
            return
        for success in response.get("Successful", []):
            receipts[int(success["Id"])] = SendReceipt(message_id=success["MessageId"])
        for failure in response.get("Failed", []):
            receipts[int(failure["Id"])] = SendReceipt(
                error=QueueSendError(
                    failure.get("Code", "Unknown"),
                    failure.get("Message", ""),
                    sender_fault=bool(failure.get("SenderFault")),
                )
            )

    def cancel_schedule(self, name: str) -> None:
        """Delete the one-time schedule of a delayed job (``EnqueueResult.schedule_name``)."""
        self.scheduler.cancel(name)


def _add_to_chunks(
    chunks: list[list[int]], index: int, messages: Sequence[OutgoingMessage]
) -> None:
    size = messages[index].size_bytes
    if chunks:
        last = chunks[-1]
        last_size = sum(messages[i].size_bytes for i in last)
        if len(last) < SQS_BATCH_MAX_ENTRIES and last_size + size <= SQS_BATCH_MAX_BYTES:
            last.append(index)
            return
    chunks.append([index])


def _attributes(message: OutgoingMessage) -> dict[str, Any]:
    return {JOB_NAME_ATTRIBUTE: {"DataType": "String", "StringValue": message.job_name}}


def _fifo_fields(message: OutgoingMessage, queue: QueueAddress) -> dict[str, str]:
    if not queue.is_fifo:
        return {}
    return {
        "MessageGroupId": message.group_id,
        "MessageDeduplicationId": message.deduplication_id,
    }
