"""Reading a dead-letter queue without consuming it: ``DeadLetterMessage`` and its filters.

SQS has no "peek": messages are received with a visibility timeout long enough to read the
whole queue once, then made visible again at once, so listing changes nothing but the
messages' receive counts.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from glasswork.worker.dead_letter import (
    ATTEMPT_COUNT_ATTRIBUTE,
    DEAD_LETTER_REASON_ATTRIBUTE,
    ERROR_MESSAGE_ATTRIBUTE,
    ERROR_TYPE_ATTRIBUTE,
    ORIGINAL_MESSAGE_ID_ATTRIBUTE,
    SOURCE_QUEUE_ATTRIBUTE,
)

__all__ = [
    "DEFAULT_LIST_LIMIT",
    "READ_VISIBILITY_TIMEOUT_SECONDS",
    "DeadLetterFilter",
    "DeadLetterMessage",
    "dead_letter_message",
    "receive_unseen",
    "received_dead_letters",
    "release",
]

DEFAULT_LIST_LIMIT = 1000
"""Most dead letters read by one listing, unless told otherwise."""

READ_VISIBILITY_TIMEOUT_SECONDS = 60
"""How long a message being read stays hidden, in seconds, should the reader die before it
releases it (it is released at once otherwise)."""

_SQS_BATCH_LIMIT = 10


class DeadLetterMessage(BaseModel):
    """One message on a dead-letter queue, as the worker left it.

    Parameters:
        message_id: its id on the dead-letter queue.
        receipt_handle: the handle of this read (to delete or release it).
        body: the body, unchanged from the original message.
        job_name: the job the body names (``None`` if it names none).
        job_id: the job id the body carries.
        reason: the ``DeadLetterReason`` attribute (``None`` when dead-lettered by SQS's
            redrive policy rather than by the worker).
        error_type: the ``ErrorType`` attribute.
        error_message: the ``ErrorMessage`` attribute.
        attempts: the ``AttemptCount`` attribute (``None`` when SQS's redrive moved it).
        age_seconds: seconds since it was put on the dead-letter queue.
        original_message_id: its id on the source queue.
        source_queue_arn: where it came from.
        attributes: its other message attributes (``SendMessage`` shape), kept on a redrive.
    """

    model_config = ConfigDict(frozen=True)

    message_id: str
    receipt_handle: str
    body: str
    job_name: str | None = None
    job_id: str | None = None
    reason: str | None = None
    error_type: str | None = None
    error_message: str | None = None
    attempts: int | None = None
    age_seconds: float = 0.0
    original_message_id: str | None = None
    source_queue_arn: str | None = None
    attributes: dict[str, dict[str, Any]] = {}


@dataclass(frozen=True)
class DeadLetterFilter:
    """Which dead letters to list or redrive; every criterion given must hold.

    Parameters:
        reason: only this ``DeadLetterReason`` (e.g. ``"retries_exhausted"``).
        error_type: only this error class name.
        job_name: only this job.
        min_attempts: only messages with at least this many attempts.
        max_attempts: only messages with at most this many attempts.
        older_than_seconds: only messages dead-lettered at least this long ago.
        newer_than_seconds: only messages dead-lettered at most this long ago.
    """

    reason: str | None = None
    error_type: str | None = None
    job_name: str | None = None
    min_attempts: int | None = None
    max_attempts: int | None = None
    older_than_seconds: float | None = None
    newer_than_seconds: float | None = None

    @property
    def is_empty(self) -> bool:
        """Whether every message passes."""
        return self == DeadLetterFilter()

    def matches(self, message: DeadLetterMessage) -> bool:
        """Whether ``message`` passes every criterion given."""
        attempts = message.attempts or 0
        return (
            (self.reason is None or message.reason == self.reason)
            and (self.error_type is None or message.error_type == self.error_type)
            and (self.job_name is None or message.job_name == self.job_name)
            and (self.min_attempts is None or attempts >= self.min_attempts)
            and (self.max_attempts is None or attempts <= self.max_attempts)
            and (self.older_than_seconds is None or message.age_seconds >= self.older_than_seconds)
            and (self.newer_than_seconds is None or message.age_seconds <= self.newer_than_seconds)
        )


_OURS = frozenset(
    {
        DEAD_LETTER_REASON_ATTRIBUTE,
        ERROR_TYPE_ATTRIBUTE,
        ERROR_MESSAGE_ATTRIBUTE,
        ATTEMPT_COUNT_ATTRIBUTE,
        ORIGINAL_MESSAGE_ID_ATTRIBUTE,
        SOURCE_QUEUE_ATTRIBUTE,
    }
)


def dead_letter_message(
    received: dict[str, Any], *, now: Callable[[], float] = time.time
) -> DeadLetterMessage:
    """A ``DeadLetterMessage`` from one message of ``ReceiveMessage`` (all attributes asked)."""
    attributes: dict[str, dict[str, Any]] = received.get("MessageAttributes") or {}
    system: dict[str, str] = received.get("Attributes") or {}

    def text(name: str) -> str | None:
        value = attributes.get(name, {}).get("StringValue")
        return value if isinstance(value, str) else None

    job_name, job_id = _job_of(received.get("Body", ""))
    attempts_text = text(ATTEMPT_COUNT_ATTRIBUTE)
    attempts = int(attempts_text) if attempts_text and attempts_text.isdigit() else None
    sent = system.get("SentTimestamp", "")
    age = max(0.0, now() - int(sent) / 1000) if sent.isdigit() else 0.0
    return DeadLetterMessage(
        message_id=received["MessageId"],
        receipt_handle=received["ReceiptHandle"],
        body=received.get("Body", ""),
        job_name=job_name or text("JobName"),
        job_id=job_id,
        reason=text(DEAD_LETTER_REASON_ATTRIBUTE),
        error_type=text(ERROR_TYPE_ATTRIBUTE),
        error_message=text(ERROR_MESSAGE_ATTRIBUTE),
        attempts=attempts,
        age_seconds=round(age, 3),
        original_message_id=text(ORIGINAL_MESSAGE_ID_ATTRIBUTE),
        source_queue_arn=text(SOURCE_QUEUE_ATTRIBUTE) or system.get("DeadLetterQueueSourceArn"),
        attributes={name: value for name, value in attributes.items() if name not in _OURS},
    )


def receive_unseen(
    client: Any, queue_url: str, *, limit: int | None = None
) -> Iterator[list[dict[str, Any]]]:
    """Batches of ``queue_url``'s messages as SQS ``ReceiveMessage`` gives them, each message
    once, hidden for ``READ_VISIBILITY_TIMEOUT_SECONDS``, until a receive brings none unseen or
    ``limit`` messages came (default: no limit)."""
    seen: set[str] = set()
    while limit is None or len(seen) < limit:
        wanted = _SQS_BATCH_LIMIT if limit is None else min(_SQS_BATCH_LIMIT, limit - len(seen))
        batch = client.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=wanted,
            VisibilityTimeout=READ_VISIBILITY_TIMEOUT_SECONDS,
            WaitTimeSeconds=0,
            MessageAttributeNames=["All"],
            MessageSystemAttributeNames=["All"],
        ).get("Messages", [])
        fresh = [m for m in batch if m["MessageId"] not in seen]
        if not fresh:
            return
        seen.update(m["MessageId"] for m in fresh)
        yield fresh


@contextmanager
def received_dead_letters(
    client: Any, queue_url: str, *, limit: int = DEFAULT_LIST_LIMIT
) -> Iterator[list[DeadLetterMessage]]:
    """Receive up to ``limit`` messages of ``queue_url``, hidden while the block runs.

    Messages the block did not delete are made visible again when it ends, however it ends.
    """
    messages: list[DeadLetterMessage] = []
    try:
        for batch in receive_unseen(client, queue_url, limit=limit):
            messages.extend(dead_letter_message(received) for received in batch)
        yield messages
    finally:
        release(client, queue_url, messages)


def release(client: Any, queue_url: str, messages: list[DeadLetterMessage]) -> None:
    """Make ``messages`` visible again now; ones already deleted are ignored."""
    for start in range(0, len(messages), _SQS_BATCH_LIMIT):
        chunk = messages[start : start + _SQS_BATCH_LIMIT]
        client.change_message_visibility_batch(
            QueueUrl=queue_url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": m.receipt_handle, "VisibilityTimeout": 0}
                for i, m in enumerate(chunk)
            ],
        )


def _job_of(body: str) -> tuple[str | None, str | None]:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None, None
    if not isinstance(data, dict):
        return None, None
    name, job_id = data.get("jobName"), data.get("jobId")
    return (
        name if isinstance(name, str) else None,
        job_id if isinstance(job_id, str) else None,
    )
