"""Received SQS messages become the records Lambda would deliver; test events look the same."""

from __future__ import annotations

import base64
from typing import Any

from worker_support import Queues

from glasswork.jobs.definition import define_job
from glasswork.testing.events import FakeLambdaContext, job_message, make_sqs_event
from glasswork.worker.events import is_sqs_event


def test_a_received_message_becomes_a_lambda_record(queues: Queues) -> None:
    message_id = queues.send(
        '{"jobName": "x"}',
        MessageAttributes={
            "JobName": {"DataType": "String", "StringValue": "x"},
            "Blob": {"DataType": "Binary", "BinaryValue": b"\x00\xff"},
        },
    )

    (record,) = queues.receive(wait_seconds=1)

    assert record["messageId"] == message_id
    assert record["body"] == '{"jobName": "x"}'
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"] == queues.arn
    assert record["awsRegion"] == "us-east-1"
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert record["messageAttributes"]["JobName"]["stringValue"] == "x"
    assert base64.b64decode(record["messageAttributes"]["Blob"]["binaryValue"]) == b"\x00\xff"
    assert is_sqs_event({"Records": [record]})


def test_make_sqs_event_builds_records_shaped_like_received_ones(queues: Queues) -> None:
    job = define_job("x", lambda payload, ctx: None)
    queues.send(job_message(job, {}).to_json())
    (received,) = queues.receive(wait_seconds=1)

    event: Any = make_sqs_event(job_message(job, {}), receive_count=3)

    (built,) = event["Records"]
    assert set(built) <= set(received) | {"md5OfMessageAttributes"}
    assert set(received) - {"md5OfMessageAttributes"} <= set(built)
    assert set(received["attributes"]) <= set(built["attributes"])
    assert built["attributes"]["ApproximateReceiveCount"] == "3"
    assert built["messageAttributes"]["JobName"]["stringValue"] == "x"


def test_fake_lambda_context_counts_down() -> None:
    context = FakeLambdaContext(timeout_seconds=2)

    remaining = context.get_remaining_time_in_millis()

    assert 1500 < remaining <= 2000
    assert FakeLambdaContext(timeout_seconds=0).get_remaining_time_in_millis() == 0


def test_fifo_records_need_a_fifo_queue() -> None:
    import pytest

    with pytest.raises(ValueError, match="FIFO"):
        make_sqs_event("{}", message_group_id="g")
    event: Any = make_sqs_event(
        "{}", message_group_id="g", queue_arn="arn:aws:sqs:us-east-1:123456789012:q.fifo"
    )
    assert event["Records"][0]["attributes"]["MessageGroupId"] == "g"
