"""Build realistic Lambda SQS events and a Lambda context, to call a worker in tests.

event = make_sqs_event(job_message(send_welcome, WelcomePayload(user_id="u1")))
response = handler(event, FakeLambdaContext())
assert response == {"batchItemFailures": []}
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

from glasswork.jobs.definition import JobDefinition
from glasswork.jobs.message import JOB_NAME_ATTRIBUTE, JobMessage
from glasswork.worker.events import (
    SQSEvent,
    SQSMessageAttribute,
    SQSRecord,
    SQSRecordAttributes,
    is_fifo_queue_arn,
)

__all__ = [
    "DEFAULT_QUEUE_ARN",
    "DEFAULT_REGION",
    "FakeLambdaContext",
    "job_message",
    "make_sqs_event",
    "make_sqs_record",
]

P = TypeVar("P")

DEFAULT_REGION = "us-east-1"
"""Region of the records built here unless told otherwise."""

DEFAULT_QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:glasswork-jobs"
"""Source queue of the records built here unless told otherwise."""

MessageBody = JobMessage | str | Mapping[str, Any]


def job_message(
    job: JobDefinition[P],
    payload: P | Mapping[str, Any],
    *,
    job_id: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> JobMessage:
    """The message ``JobService`` would enqueue for ``job`` with ``payload`` (validated here).

    Parameters:
        job: the job definition.
        payload: an instance of the job's schema, or its plain-dict form.
        job_id: the job id (default: a new UUID).
        metadata: the message's metadata (default: none).
    """
    validated = job.validate_payload(payload)
    return JobMessage(
        job_name=job.name,
        payload=job.dump_payload(validated),
        job_id=job_id or str(uuid.uuid4()),
        enqueued_at=datetime.now(UTC),
        metadata=dict(metadata or {}),
    )


def make_sqs_record(
    body: MessageBody,
    *,
    message_id: str | None = None,
    receive_count: int = 1,
    queue_arn: str = DEFAULT_QUEUE_ARN,
    region: str = DEFAULT_REGION,
    message_group_id: str | None = None,
    message_attributes: Mapping[str, str] | None = None,
    sent_at: datetime | None = None,
) -> SQSRecord:
    """One record as Lambda delivers it from SQS.

    Parameters:
        body: a ``JobMessage`` (sent with its ``JobName`` attribute, as ``JobService`` does),
            a raw string body (e.g. not JSON, to test poison messages) or a dict (sent as JSON).
        message_id: the SQS message id (default: a new UUID).
        receive_count: ``ApproximateReceiveCount``, the attempt number (default 1).
        queue_arn: the source queue (default ``DEFAULT_QUEUE_ARN``; must end in ``.fifo`` when
            ``message_group_id`` is given).
        region: the record's ``awsRegion`` (default ``us-east-1``).
        message_group_id: the FIFO message group (default: none, a standard queue).
        message_attributes: extra string message attributes.
        sent_at: the send time (default: now).
    """
    if message_group_id is not None and not is_fifo_queue_arn(queue_arn):
        raise ValueError(
            f"message_group_id needs a FIFO queue ARN (ending in .fifo), got {queue_arn!r}"
        )
    message_id = message_id or str(uuid.uuid4())
    attributes_given = dict(message_attributes or {})
    if isinstance(body, JobMessage):
        text = body.to_json()
        attributes_given.setdefault(JOB_NAME_ATTRIBUTE, body.job_name)
    elif isinstance(body, str):
        text = body
    else:
        text = json.dumps(body)
    sent_millis = int((sent_at or datetime.now(UTC)).timestamp() * 1000)
    attributes: SQSRecordAttributes = {
        "ApproximateReceiveCount": str(receive_count),
        "SentTimestamp": str(sent_millis),
        "SenderId": "AIDAEXAMPLESENDER",
        "ApproximateFirstReceiveTimestamp": str(sent_millis + 1),
    }
    if message_group_id is not None:
        attributes["MessageGroupId"] = message_group_id
        attributes["MessageDeduplicationId"] = message_id
        attributes["SequenceNumber"] = str(time.time_ns())
    message_attributes_: dict[str, SQSMessageAttribute] = {
        name: {
            "dataType": "String",
            "stringValue": value,
            "stringListValues": [],
            "binaryListValues": [],
        }
        for name, value in attributes_given.items()
    }
    return {
        "messageId": message_id,
        "receiptHandle": f"AQEB{uuid.uuid4().hex}",
        "body": text,
        "attributes": attributes,
        "messageAttributes": message_attributes_,
        "md5OfBody": hashlib.md5(text.encode()).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


def make_sqs_event(
    *bodies: MessageBody,
    receive_count: int = 1,
    queue_arn: str = DEFAULT_QUEUE_ARN,
    region: str = DEFAULT_REGION,
    message_group_id: str | None = None,
) -> SQSEvent:
    """A Lambda SQS event with one record per body (see ``make_sqs_record`` for the options).

    For records that differ (receive counts, groups), build them with ``make_sqs_record`` and
    pass ``{"Records": [...]}``.
    """
    return {
        "Records": [
            make_sqs_record(
                body,
                receive_count=receive_count,
                queue_arn=queue_arn,
                region=region,
                message_group_id=message_group_id,
            )
            for body in bodies
        ]
    }


class FakeLambdaContext:
    """A stand-in for Lambda's context object whose clock really runs down.

    Parameters:
        timeout_seconds: the function timeout, in seconds, counted from construction
            (default 900, Lambda's longest).
        function_name: the function's name (default ``"glasswork-worker"``).
    """

    def __init__(
        self, timeout_seconds: float = 900.0, *, function_name: str = "glasswork-worker"
    ) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = (
            f"arn:aws:lambda:{DEFAULT_REGION}:123456789012:function:{function_name}"
        )
        self.memory_limit_in_mb = 1024
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "2024/01/01/[$LATEST]0123456789abcdef"
        self._deadline = time.monotonic() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the (pretend) timeout, never below zero."""
        return max(0, int((self._deadline - time.monotonic()) * 1000))
