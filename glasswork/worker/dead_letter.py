"""Dead-lettering as a real step: send the message to the DLQ with why it died, once.

The body is sent unchanged, so a DLQ redrive puts the job back exactly as it was enqueued. The
message keeps its own attributes (up to SQS's limit of 10) and gains the ones below, as far as
they fit in SQS's size limit: dead-lettering never fails because of a message's size or the
shape of its attributes.
"""

from __future__ import annotations

import base64
import enum
import functools
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
    "SQS_MAX_MESSAGE_BYTES",
    "DeadLetter",
    "DeadLetterReason",
    "NoDeadLetterQueueError",
    "dead_letter_attributes",
    "send_to_dead_letter_queue",
    "sqs_message_size",
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

SQS_MAX_MESSAGE_BYTES = 1_048_576
"""SQS's largest message, in bytes (body plus attribute names, types and values)."""

_SQS_MAX_MESSAGE_ATTRIBUTES = 10

_REFUSED_CONTENT_CODES = frozenset(
    {"InvalidParameterValue", "InvalidMessageContents", "InvalidAttributeValue"}
)
"""``SendMessage`` error codes for content SQS refuses (size, characters, attribute shape)."""

logger = logging.getLogger(__name__)


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
    UNREADABLE = "unreadable_message"


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
    record: SQSRecord, letter: DeadLetter, *, max_message_bytes: int = SQS_MAX_MESSAGE_BYTES
) -> dict[str, MessageAttributeValueTypeDef]:
    """The message attributes of the dead-lettered copy of ``record`` (``SendMessage`` shape).

    The copy never exceeds ``max_message_bytes`` as SQS counts it (``sqs_message_size``): our
    short attributes come first, then the message's own (those SQS can take again), then the
    error message, cut to the room left. A body with no room left goes alone.
    """
    budget = max_message_bytes - _utf8_size(record["body"])
    chosen: dict[str, MessageAttributeValueTypeDef] = {}

    def add(name: str, value: MessageAttributeValueTypeDef) -> bool:
        nonlocal budget
        size = _attribute_size(name, value)
        if size > budget or len(chosen) >= _SQS_MAX_MESSAGE_ATTRIBUTES:
            return False
        chosen[name] = value
        budget -= size
        return True

    ours: dict[str, MessageAttributeValueTypeDef] = {
        DEAD_LETTER_REASON_ATTRIBUTE: _string(letter.reason.value),
        ERROR_TYPE_ATTRIBUTE: _string(type(letter.error).__name__),
        ATTEMPT_COUNT_ATTRIBUTE: {"DataType": "Number", "StringValue": str(letter.attempt_number)},
        ORIGINAL_MESSAGE_ID_ATTRIBUTE: _string(record["messageId"]),
        SOURCE_QUEUE_ATTRIBUTE: _string(record["eventSourceARN"]),
    }
    for name, value in ours.items():
        add(name, value)
    own_room = _SQS_MAX_MESSAGE_ATTRIBUTES - len(ours) - 1  # one left for the error message
    kept = 0
    for name, original in (record.get("messageAttributes") or {}).items():
        converted = _send_attribute(original)
        if name in ours or name == ERROR_MESSAGE_ATTRIBUTE or converted is None:
            continue
        if kept < own_room and add(name, converted):
            kept += 1
    text = _sqs_text(str(letter.error))[:ERROR_MESSAGE_MAX_CHARACTERS] or "(no message)"
    room = budget - _attribute_size(ERROR_MESSAGE_ATTRIBUTE, _string(""))
    if room > 0:
        add(ERROR_MESSAGE_ATTRIBUTE, _string(_cut_to_bytes(text, room)))
    # Ours last, so a message's own attribute of the same name cannot hide them.
    return {
        **{k: v for k, v in chosen.items() if k not in ours},
        **{k: v for k, v in chosen.items() if k in ours},
    }


def sqs_message_size(body: str, attributes: Mapping[str, MessageAttributeValueTypeDef]) -> int:
    """The size SQS counts for a message, in bytes: body plus attribute names, types, values."""
    return _utf8_size(body) + sum(_attribute_size(name, v) for name, v in attributes.items())


def send_to_dead_letter_queue(
    connection: SQSConnection, record: SQSRecord, letter: DeadLetter
) -> str:
    """Send ``record``'s body to its DLQ with the reason attached; returns the new message id.

    When SQS refuses the copy with its attributes (a size or content rule), the body is sent
    alone: a message SQS accepted once can always be dead-lettered. Raises
    ``NoDeadLetterQueueError`` when no DLQ is known, and boto3's errors when the send fails;
    the caller then leaves the original on the queue.
    """
    from botocore.exceptions import ClientError

    region = record["awsRegion"]
    queue_url = connection.dead_letter_queue_url(record["eventSourceARN"], region)
    if queue_url is None:
        raise NoDeadLetterQueueError(
            f"queue {record['eventSourceARN']} has no RedrivePolicy and no dead_letter_queue_url "
            "was given to bootstrap_worker; the message stays on the queue"
        )
    client = connection.client(region)
    request: dict[str, Any] = {"QueueUrl": queue_url, "MessageBody": record["body"]}
    if is_fifo_queue_arn(record["eventSourceARN"]):
        # A FIFO queue's DLQ is FIFO too; the original id deduplicates a repeated send.
        request["MessageGroupId"] = record["attributes"].get("MessageGroupId", "dead-letter")
        request["MessageDeduplicationId"] = record["messageId"]
    attributes = dead_letter_attributes(record, letter)
    if attributes:
        try:
            return client.send_message(**request, MessageAttributes=attributes)["MessageId"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") not in _REFUSED_CONTENT_CODES:
                raise
            logger.warning(
                "SQS refused the dead-letter copy of message %s with its attributes (%s); "
                "sending the body alone",
                record["messageId"],
                error,
            )
    return client.send_message(**request)["MessageId"]


def _utf8_size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _attribute_size(name: str, value: MessageAttributeValueTypeDef) -> int:
    size = _utf8_size(name) + _utf8_size(value["DataType"])
    if "StringValue" in value:
        size += _utf8_size(value["StringValue"])
    if "BinaryValue" in value:
        binary = value["BinaryValue"]
        size += len(binary) if isinstance(binary, bytes | bytearray) else _utf8_size(str(binary))
    return size


def _cut_to_bytes(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", "ignore")


def _sqs_text(text: str) -> str:
    # SQS rejects attribute values holding characters outside XML's character set.
    return _not_sqs_text().sub("\ufffd", text)


def _string(value: str) -> MessageAttributeValueTypeDef:
    return {"DataType": "String", "StringValue": value}


def _send_attribute(value: SQSMessageAttribute) -> MessageAttributeValueTypeDef | None:
    """The ``SendMessage`` shape of a record's attribute; ``None`` when SQS would refuse it.

    Producers differ in shape: some send ``"binaryValue": null`` beside a string value, some
    list values SQS does not take back. Only a string or a binary value of a known type is kept.
    """
    if not isinstance(value, Mapping):
        return None
    data_type = value.get("dataType")
    if not isinstance(data_type, str) or not data_type:
        return None
    converted: MessageAttributeValueTypeDef = {"DataType": data_type}
    string = value.get("stringValue")
    binary = value.get("binaryValue")
    if data_type.startswith(("String", "Number")) and isinstance(string, str) and string:
        converted["StringValue"] = _sqs_text(string)
    elif data_type.startswith("Binary") and isinstance(binary, str) and binary:
        try:
            converted["BinaryValue"] = base64.b64decode(binary, validate=True)
        except ValueError:
            return None
    else:
        return None
    return converted
