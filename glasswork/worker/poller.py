"""A long-running worker for containers and local development: long-poll SQS, run, delete.

Runs exactly the code the Lambda handler runs (``Worker.process_records``), then does what
Lambda's event source mapping would: deletes the messages that were acknowledged and leaves the
others (their retry backoff is already set). On SIGTERM or SIGINT it stops receiving, lets the
batch in flight finish, and returns; a second signal stops at once (unfinished messages are
delivered again after their visibility timeout).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING

from glasswork.worker.bootstrap import Worker
from glasswork.worker.events import SQSRecord, record_from_received_message
from glasswork.worker.outcome import RecordResult

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

__all__ = [
    "DEFAULT_WAIT_TIME_SECONDS",
    "SQSPoller",
    "delete_records",
    "receive_records",
    "release_records",
]

logger = logging.getLogger(__name__)

DEFAULT_WAIT_TIME_SECONDS = 20
"""Long-poll wait of one ``ReceiveMessage``, in seconds (SQS's longest); it also bounds how long
a shutdown waits for a receive in progress."""

_SQS_BATCH_LIMIT = 10


def receive_records(
    client: SQSClient,
    queue_url: str,
    *,
    queue_arn: str,
    max_messages: int = _SQS_BATCH_LIMIT,
    wait_time_seconds: int = DEFAULT_WAIT_TIME_SECONDS,
) -> list[SQSRecord]:
    """Receive up to ``max_messages`` messages and return them as Lambda records.

    Parameters:
        client: the SQS client.
        queue_url: the queue to receive from.
        queue_arn: its ARN (the records' ``eventSourceARN``).
        max_messages: at most this many (1-10, default 10).
        wait_time_seconds: long-poll wait, in seconds (default 20).
    """
    response = client.receive_message(
        QueueUrl=queue_url,
        MaxNumberOfMessages=max_messages,
        WaitTimeSeconds=wait_time_seconds,
        MessageSystemAttributeNames=["All"],
        MessageAttributeNames=["All"],
    )
    region = queue_arn.split(":")[3]
    return [
        record_from_received_message(message, queue_arn=queue_arn, region=region)
        for message in response.get("Messages", [])
    ]


def delete_records(client: SQSClient, queue_url: str, records: Sequence[SQSRecord]) -> int:
    """Delete ``records``' messages (``DeleteMessageBatch``); returns how many were deleted.

    A message that cannot be deleted is logged: it will be delivered, and run, again.
    """
    deleted = 0
    for start in range(0, len(records), _SQS_BATCH_LIMIT):
        chunk = records[start : start + _SQS_BATCH_LIMIT]
        response = client.delete_message_batch(
            QueueUrl=queue_url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": record["receiptHandle"]}
                for i, record in enumerate(chunk)
            ],
        )
        deleted += len(response.get("Successful", []))
        for failure in response.get("Failed", []):
            logger.error(
                "could not delete message %s (%s: %s); it will run again",
                chunk[int(failure["Id"])]["messageId"],
                failure.get("Code"),
                failure.get("Message"),
            )
    return deleted


def release_records(client: SQSClient, queue_url: str, records: Sequence[SQSRecord]) -> None:
    """Make ``records``' messages visible again now (received, but not going to run)."""
    for start in range(0, len(records), _SQS_BATCH_LIMIT):
        chunk = records[start : start + _SQS_BATCH_LIMIT]
        client.change_message_visibility_batch(
            QueueUrl=queue_url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": record["receiptHandle"], "VisibilityTimeout": 0}
                for i, record in enumerate(chunk)
            ],
        )


class _VisibilityDeadline:
    """A Lambda-like context whose time runs out with the received messages' visibility."""

    def __init__(self, visibility_timeout_seconds: float) -> None:
        self._deadline = time.monotonic() + visibility_timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class SQSPoller:
    """Long-polls one queue and runs its messages through a worker until told to stop.

    Parameters:
        worker: the worker (from ``bootstrap_worker``) whose jobs run.
        queue_url: the queue to poll.
        sqs_client: the SQS client (default: the worker's).
        wait_time_seconds: long-poll wait per receive, in seconds (default 20).
        max_messages: messages per batch, 1-10 (default 10).
    """

    def __init__(
        self,
        worker: Worker,
        queue_url: str,
        *,
        sqs_client: SQSClient | None = None,
        wait_time_seconds: int = DEFAULT_WAIT_TIME_SECONDS,
        max_messages: int = _SQS_BATCH_LIMIT,
    ) -> None:
        if not 1 <= max_messages <= _SQS_BATCH_LIMIT:
            raise ValueError(f"max_messages must be 1-10, got {max_messages}")
        self.worker = worker
        self.queue_url = queue_url
        self.client: SQSClient = sqs_client or worker.connection.client()
        self.wait_time_seconds = wait_time_seconds
        self.max_messages = max_messages
        self._stopping = threading.Event()
        attributes = self.client.get_queue_attributes(
            QueueUrl=queue_url, AttributeNames=["QueueArn", "VisibilityTimeout"]
        )["Attributes"]
        self.queue_arn = attributes["QueueArn"]
        self.visibility_timeout_seconds = int(attributes.get("VisibilityTimeout", "30"))

    def stop(self) -> None:
        """Ask the poller to stop after the batch in flight (safe from any thread)."""
        self._stopping.set()

    @property
    def stopping(self) -> bool:
        """Whether ``stop`` was called."""
        return self._stopping.is_set()

    def poll_once(self) -> list[RecordResult]:
        """Receive one batch, run it, delete what succeeded; returns the results."""
        records = receive_records(
            self.client,
            self.queue_url,
            queue_arn=self.queue_arn,
            max_messages=self.max_messages,
            wait_time_seconds=self.wait_time_seconds,
        )
        if not records:
            return []
        if self.stopping:
            release_records(self.client, self.queue_url, records)
            return []
        context = _VisibilityDeadline(self.visibility_timeout_seconds)
        results = self.worker.process_records(records, context)
        done = [
            record
            for record, result in zip(records, results, strict=True)
            if result.outcome.acknowledges
        ]
        if done:
            delete_records(self.client, self.queue_url, done)
        return results

    def run(self, *, handle_signals: bool = True) -> None:
        """Poll until ``stop`` (or SIGTERM/SIGINT when ``handle_signals``), then return."""
        logger.info(
            "polling %s for jobs: %s", self.queue_url, ", ".join(self.worker.registry.names())
        )
        self.worker.initialize()
        with self._signals_handled(handle_signals):
            while not self.stopping:
                try:
                    self.poll_once()
                except Exception:
                    # SQS unreachable or throttling: wait a little rather than spin.
                    logger.exception("polling %s failed; trying again in 1 s", self.queue_url)
                    self._stopping.wait(1.0)
        logger.info("stopped polling %s", self.queue_url)

    @contextmanager
    def _signals_handled(self, enabled: bool) -> Iterator[None]:
        if not enabled or threading.current_thread() is not threading.main_thread():
            yield
            return

        def on_signal(signum: int, frame: FrameType | None) -> None:
            if self.stopping:
                raise KeyboardInterrupt(f"second {signal.Signals(signum).name}: stopping now")
            logger.info(
                "%s received: finishing the jobs in flight, then stopping",
                signal.Signals(signum).name,
            )
            self.stop()

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
