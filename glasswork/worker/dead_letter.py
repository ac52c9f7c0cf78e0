"""Dead-lettering as a real step: send the message to the DLQ with why it died, once.

The body is sent unchanged, so a DLQ redrive puts the job back exactly as it was enqueued. The
message keeps its own attributes (up to SQS's limit of 10) and gains the ones below.
"""

from __future__ import annotations

import base64
import enum
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from glasswork.worker.events import SQSMessageAttribute, SQSRecord, is_fifo_queue_arn
from glasswork.worker.sqs import SQSConnection

if TYPE_CHECKING:
    from mypy_boto3_sqs.type_defs import MessageAttributeValueTypeDef

__all__ = [
    "ATTEMPT_COUNT_ATTRIBUTE",
    "DEAD_LETTER_REASON_ATTRIBUTE",
    "ERROR_MESSAGE_ATTRIBUTE",
    "ERROR_MESSAGE_MAX_CHARACTERS",
    "ERROR_TYPE_ATTRIBUTE",
    "ORIGINAL_MESSAGE_ID_ATTRIBUTE",
    "SOURCE_QUEUE_ATTRIBUTE",
    "DeadLetter",
    "DeadLetterReason",
    "NoDeadLetterQueueError",
    "dead_letter_attributes",
    "send_to_dead_letter_queue",
]

DEAD_LETTER_REASON_ATTRIBUTE = "DeadLetterReason"
"""Why the message died: a ``DeadLetterReason`` value."""
ERROR_TYPE_ATTRIBUTE = "ErrorType"
"""The class name of the error (e.g. ``PermanentJobError``)."""
ERROR_MESSAGE_ATTRIBUTE = "ErrorMessage"
"""The error's message, cut to ``ERROR_MESSAGE_MAX_CHARACTERS``."""
ATTEMPT_COUNT_ATTRIBUTE = "AttemptCount"
"""Attempts made (the ``ApproximateReceiveCount`` of the last delivery), a ``Number``."""
ORIGINAL_MESSAGE_ID_ATTRIBUTE = "OriginalMessageId"
"""The message id on the source queue."""
SOURCE_QUEUE_ATTRIBUTE = "SourceQueueArn"
"""The ARN of the queue the message came from."""

ERROR_MESSAGE_MAX_CHARACTERS = 4096
"""Longest error message kept on a dead-lettered message, in characters."""

_SQS_MAX_MESSAGE_ATTRIBUTES = 10


@functools.cache
def _not_sqs_text() -> re.Pattern[str]:
    # Compiled on first use: these Unicode ranges take ~5 ms to compile, a cold-start cost
    # paid only when a message is actually dead-lettered.
    return re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class DeadLetterReason(enum.StrEnum):
    """Why a message was dead-lettered or discarded."""

    PERMANENT_ERROR = "permanent_error"
    RETRIES_EXHAUSTED = "retries_exhausted"
    INVALID_JSON = "invalid_json"
    MISSING_JOB_NAME = "missing_job_name"
    UNKNOWN_JOB = "unknown_job"
    INVALID_PAYLOAD = "invalid_payload"
    INVALID_MESSAGE = "invalid_message"


class NoDeadLetterQueueError(Exception):
    """The source queue has no redrive policy and the worker has no ``dead_letter_queue_url``."""


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """Why one message goes to the dead-letter queue.

    Parameters:
        reason: the category.
        error: the error behind it.
        attempt_number: attempts made.
    """

    reason: DeadLetterReason
    error: BaseException
    attempt_number: int


def dead_letter_attributes(
    record: SQSRecord, letter: DeadLetter
) -> dict[str, MessageAttributeValueTypeDef]:
    """The message attributes of the dead-lettered copy of ``record`` (``SendMessage`` shape)."""
    ours: dict[str, MessageAttributeValueTypeDef] = {
        DEAD_LETTER_REASON_ATTRIBUTE: _string(letter.reason.value),
        ERROR_TYPE_ATTRIBUTE: _string(type(letter.error).__name__),
        ERROR_MESSAGE_ATTRIBUTE: _string(
            _sqs_text(str(letter.error))[:ERROR_MESSAGE_MAX_CHARACTERS] or "(no message)"
        ),
        ATTEMPT_COUNT_ATTRIBUTE: {"DataType": "Number", "StringValue": str(letter.attempt_number)},
        ORIGINAL_MESSAGE_ID_ATTRIBUTE: _string(record["messageId"]),
        SOURCE_QUEUE_ATTRIBUTE: _string(record["eventSourceARN"]),
    }
    kept: dict[str, MessageAttributeValueTypeDef] = {}
    room = _SQS_MAX_MESSAGE_ATTRIBUTES - len(ours)
    for name, value in record["messageAttributes"].items():
        if name in ours or len(kept) >= room:
            continue
        kept[name] = _send_attribute(value)
    return {**kept, **ours}


def send_to_dead_letter_queue(
    connection: SQSConnection, record: SQSRecord, letter: DeadLetter
) -> str:
    """Send ``record``'s body to its DLQ with the reason attached; returns the new message id.

    Raises ``NoDeadLetterQueueError`` when no DLQ is known, and boto3's errors when the send
    fails; the caller then leaves the original on the queue.
    """
    region = record["awsRegion"]
    queue_url = connection.dead_letter_queue_url(record["eventSourceARN"], region)
    if queue_url is None:
        raise NoDeadLetterQueueError(
            f"queue {record['eventSourceARN']} has no RedrivePolicy and no dead_letter_queue_url "
            "was given to bootstrap_worker; the message stays on the queue"
        )
    attributes = dead_letter_attributes(record, letter)
    client = connection.client(region)
    if is_fifo_queue_arn(record["eventSourceARN"]):
        # A FIFO queue's DLQ is FIFO too; the original id deduplicates a repeated send.
        response = client.send_message(
            QueueUrl=queue_url,
            MessageBody=record["body"],
            MessageAttributes=attributes,
            MessageGroupId=record["attributes"].get("MessageGroupId", "dead-letter"),
            MessageDeduplicationId=record["messageId"],
        )
    else:
        response = client.send_message(
            QueueUrl=queue_url, MessageBody=record["body"], MessageAttributes=attributes
        )
    return response["MessageId"]


def _sqs_text(text: str) -> str:
    # SQS rejects attribute values holding characters outside XML's character set.
    return _not_sqs_text().sub("\ufffd", text)


def _string(value: str) -> MessageAttributeValueTypeDef:
    return {"DataType": "String", "StringValue": value}


def _send_attribute(value: SQSMessageAttribute) -> MessageAttributeValueTypeDef:
    converted: MessageAttributeValueTypeDef = {"DataType": value["dataType"]}
    if "stringValue" in value:
        converted["StringValue"] = value["stringValue"]
    if "binaryValue" in value:
        converted["BinaryValue"] = base64.b64decode(value["binaryValue"])
    return converted
