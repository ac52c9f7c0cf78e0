"""The shapes of what Lambda hands the worker: SQS events and records, and the invocation context.

Also converts a message from SQS ``ReceiveMessage`` into the record shape Lambda delivers, so the
long-running poller, the test helpers and the Lambda handler all process the same thing.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any, Literal, NotRequired, Protocol, TypedDict

__all__ = [
    "BatchItemFailure",
    "BatchResponse",
    "LambdaContext",
    "SQSEvent",
    "SQSMessageAttribute",
    "SQSRecord",
    "SQSRecordAttributes",
    "is_fifo_queue_arn",
    "is_sqs_event",
    "queue_account_id_from_arn",
    "queue_name_from_arn",
    "record_from_received_message",
]


class SQSMessageAttribute(TypedDict):
    """One message attribute of a record, as Lambda spells it (camelCase)."""

    dataType: str
    stringValue: NotRequired[str]
    binaryValue: NotRequired[str]
    stringListValues: NotRequired[list[str]]
    binaryListValues: NotRequired[list[str]]


class SQSRecordAttributes(TypedDict, total=False):
    """System attributes of a record (every value is a string, as SQS sends them)."""

    ApproximateReceiveCount: str
    SentTimestamp: str
    SenderId: str
    ApproximateFirstReceiveTimestamp: str
    AWSTraceHeader: str
    SequenceNumber: str
    MessageGroupId: str
    MessageDeduplicationId: str
    DeadLetterQueueSourceArn: str


class SQSRecord(TypedDict):
    """One SQS message in a Lambda event."""

    messageId: str
    receiptHandle: str
    body: str
    attributes: SQSRecordAttributes
    messageAttributes: dict[str, SQSMessageAttribute]
    md5OfBody: str
    eventSource: Literal["aws:sqs"]
    eventSourceARN: str
    awsRegion: str
    md5OfMessageAttributes: NotRequired[str]


class SQSEvent(TypedDict):
    """The event of a Lambda function triggered by an SQS event source mapping."""

    Records: list[SQSRecord]


class BatchItemFailure(TypedDict):
    """One record Lambda must leave on the queue (``ReportBatchItemFailures``)."""

    itemIdentifier: str


class BatchResponse(TypedDict):
    """The handler's answer to an SQS event: exactly the records to retry."""

    batchItemFailures: list[BatchItemFailure]


class LambdaContext(Protocol):
    """The part of Lambda's context object the worker uses."""

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before Lambda stops the invocation."""
        ...


def is_sqs_event(event: object) -> bool:
    """Whether ``event`` is an SQS event (a ``Records`` list whose records come from SQS)."""
    # dict first: an isinstance test against the Mapping ABC alone costs more, once per batch.
    if not isinstance(event, (dict, Mapping)):
        return False
    records = event.get("Records")
    if not isinstance(records, list):
        return False
    # One event source mapping delivers records of one kind: the first tells.
    return not records or (
        isinstance(records[0], (dict, Mapping)) and records[0].get("eventSource") == "aws:sqs"
    )


def queue_name_from_arn(arn: str) -> str:
    """``arn:aws:sqs:us-east-1:123456789012:jobs`` → ``jobs``."""
    return arn.rsplit(":", 1)[-1]


def queue_account_id_from_arn(arn: str) -> str:
    """``arn:aws:sqs:us-east-1:123456789012:jobs`` → ``123456789012``."""
    parts = arn.split(":")
    if len(parts) != 6 or parts[2] != "sqs":
        raise ValueError(f"not an SQS queue ARN: {arn!r}")
    return parts[4]


def is_fifo_queue_arn(arn: str) -> bool:
    """Whether the queue named by ``arn`` is a FIFO queue (its name ends in ``.fifo``)."""
    return arn.endswith(".fifo")


def record_from_received_message(
    message: Mapping[str, Any], *, queue_arn: str, region: str
) -> SQSRecord:
    """Turn one message of ``ReceiveMessage`` into the record Lambda would deliver for it.

    Receive with ``MessageSystemAttributeNames=["All"]`` and ``MessageAttributeNames=["All"]``
    so the record carries ``ApproximateReceiveCount`` and the message attributes.

    Parameters:
        message: one entry of ``ReceiveMessage``'s ``Messages``.
        queue_arn: the ARN of the queue it was received from.
        region: the queue's region.
    """
    record: SQSRecord = {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": dict(message.get("Attributes", {})),  # type: ignore[typeddict-item]
        "messageAttributes": {
            name: _lambda_attribute(value)
            for name, value in message.get("MessageAttributes", {}).items()
        },
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }
    if "MD5OfMessageAttributes" in message:
        record["md5OfMessageAttributes"] = message["MD5OfMessageAttributes"]
    return record


def _lambda_attribute(value: Mapping[str, Any]) -> SQSMessageAttribute:
    # Lambda spells attribute keys in camelCase and carries binary values as base64 text.
    attribute: SQSMessageAttribute = {
        "dataType": value["DataType"],
        "stringListValues": list(value.get("StringListValues", [])),
        "binaryListValues": [_b64(item) for item in value.get("BinaryListValues", [])],
    }
    if "StringValue" in value:
        attribute["stringValue"] = value["StringValue"]
    if "BinaryValue" in value:
        attribute["binaryValue"] = _b64(value["BinaryValue"])
    return attribute


def _b64(data: bytes | str) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return base64.b64encode(raw).decode("ascii")
