"""Redriving dead letters to their source queue: all of them, or a filtered subset.

Everything, unfiltered, on real SQS: one ``StartMessageMoveTask`` (SQS moves the messages
itself). A filtered subset, a dry run, or an SQS without message move tasks (an emulator): the
messages are received, sent to the source queue, and only then deleted from the dead-letter
queue, ten at a time, so an interruption at any point loses nothing — at worst a message sent
just before the interruption is on both queues, and the job's id lets it be recognised.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from glasswork.dlq.messages import (
    DeadLetterFilter,
    DeadLetterMessage,
    dead_letter_message,
    receive_unseen,
    release,
)

__all__ = ["RedriveReport", "redrive_dead_letters"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RedriveReport:
    """What a redrive did.

    Parameters:
        matched: dead letters that passed the filter.
        moved: of those, how many are now on the source queue (0 in a dry run; for a message
            move task, the number SQS reported it would move).
        looked_at: dead letters read.
        dry_run: whether nothing was moved on purpose.
        move_task_handle: the ``StartMessageMoveTask`` handle, when SQS moves the messages.
    """

    matched: int
    moved: int
    looked_at: int
    dry_run: bool = False
    move_task_handle: str | None = None


def redrive_dead_letters(
    client: Any,
    dead_letter_queue_url: str,
    source_queue_url: str,
    *,
    only: DeadLetterFilter | None = None,
    dry_run: bool = False,
    use_move_task: bool = True,
    progress: Callable[[int, int], None] | None = None,
    selected: Callable[[DeadLetterMessage], None] | None = None,
) -> RedriveReport:
    """Move dead letters back to ``source_queue_url`` (see the module doc for how).

    Parameters:
        client: a boto3 SQS client.
        dead_letter_queue_url: the queue to take messages from.
        source_queue_url: the queue to put them on.
        only: which messages (default: all).
        dry_run: only count what would move (default ``False``).
        use_move_task: let SQS move an unfiltered redrive itself (default ``True``).
        progress: called with (moved so far, read so far) after every batch of ten.
        selected: called with each message that passes the filter, before it moves.
    """
    only = only or DeadLetterFilter()
    if only.is_empty and not dry_run and use_move_task and selected is None:
        handle = _start_move_task(client, dead_letter_queue_url, source_queue_url)
        if handle is not None:
            waiting = _approximate_count(client, dead_letter_queue_url)
            return RedriveReport(waiting, waiting, waiting, move_task_handle=handle)
    fifo = source_queue_url.endswith(".fifo")
    kept_back: list[DeadLetterMessage] = []
    matched = moved = looked_at = 0
    try:
        for fresh in receive_unseen(client, dead_letter_queue_url):
            chosen: list[tuple[dict[str, Any], DeadLetterMessage]] = []
            for received in fresh:
                message = dead_letter_message(received)
                looked_at += 1
                if only.matches(message):
                    matched += 1
                    if selected is not None:
                        selected(message)
                    if dry_run:
                        kept_back.append(message)
                    else:
                        chosen.append((received, message))
                else:
                    kept_back.append(message)
            if chosen:
                moved += _move(client, dead_letter_queue_url, source_queue_url, chosen, fifo)
            if progress is not None:
                progress(moved, looked_at)
    finally:
        release(client, dead_letter_queue_url, kept_back)
    return RedriveReport(matched, moved, looked_at, dry_run=dry_run)


def _move(
    client: Any,
    dead_letter_queue_url: str,
    source_queue_url: str,
    chosen: list[tuple[dict[str, Any], DeadLetterMessage]],
    fifo: bool,
) -> int:
    entries = []
    for index, (received, message) in enumerate(chosen):
        entry: dict[str, Any] = {"Id": str(index), "MessageBody": message.body}
        attributes = {name: _send_shape(value) for name, value in message.attributes.items()}
        if attributes:
            entry["MessageAttributes"] = attributes
        if fifo:
            system = received.get("Attributes") or {}
            entry["MessageGroupId"] = system.get("MessageGroupId", "redrive")
            entry["MessageDeduplicationId"] = message.original_message_id or message.message_id
        entries.append(entry)
    sent = client.send_message_batch(QueueUrl=source_queue_url, Entries=entries)
    for failure in sent.get("Failed", []):
        logger.error(
            "could not redrive dead letter %s (%s: %s); it stays on the dead-letter queue",
            chosen[int(failure["Id"])][1].message_id,
            failure.get("Code"),
            failure.get("Message"),
        )
    done = [chosen[int(success["Id"])][1] for success in sent.get("Successful", [])]
    if done:
        # Only what reached the source queue leaves the dead-letter queue.
        client.delete_message_batch(
            QueueUrl=dead_letter_queue_url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": message.receipt_handle}
                for i, message in enumerate(done)
            ],
        )
    return len(done)


def _send_shape(value: dict[str, Any]) -> dict[str, Any]:
    return {
        key: item
        for key, item in value.items()
        if key in ("DataType", "StringValue", "BinaryValue") and item is not None
    }


def _start_move_task(client: Any, dead_letter_queue_url: str, source_queue_url: str) -> str | None:
    from botocore.exceptions import ClientError

    arns = [_queue_arn(client, url) for url in (dead_letter_queue_url, source_queue_url)]
    try:
        response = client.start_message_move_task(SourceArn=arns[0], DestinationArn=arns[1])
    except ClientError as error:
        logger.info("SQS cannot move the messages itself (%s); moving them one by one", error)
        return None
    handle: str = response["TaskHandle"]
    return handle


def _queue_arn(client: Any, queue_url: str) -> str:
    attributes = client.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    arn: str = attributes["Attributes"]["QueueArn"]
    return arn


def _approximate_count(client: Any, queue_url: str) -> int:
    attributes = client.get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages"]
    ).get("Attributes", {})
    return int(attributes.get("ApproximateNumberOfMessages", "0"))
