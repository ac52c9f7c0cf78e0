"""Dead-lettering cannot fail on a message's size or on the shape of its attributes.

Sizes are measured here the way SQS counts them (body plus every attribute's name, data type and
value, in UTF-8 bytes), independently of the worker's own arithmetic, on what the emulator holds.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from worker_support import Queues, deliver

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import define_job
from glasswork.jobs.errors import PermanentJobError
from glasswork.modules import define_module
from glasswork.testing.events import make_sqs_record
from glasswork.worker import bootstrap_worker

SQS_LIMIT_BYTES = 1_048_576


def _refuse(payload: dict[str, Any], ctx: JobContext) -> None:
    raise PermanentJobError("refused: " + "x" * 10_000)


def _body_of_size(size: int) -> str:
    head = {
        "jobName": "charge",
        "payload": {"pad": ""},
        "jobId": "job-1",
        "enqueuedAt": datetime.now(UTC).isoformat(),
    }
    pad = size - len(json.dumps(head))
    head["payload"] = {"pad": "p" * pad}
    body = json.dumps(head)
    assert len(body.encode()) == size
    return body


def _size_as_sqs_counts(message: dict[str, Any]) -> int:
    size = len(message["Body"].encode())
    for name, value in message.get("MessageAttributes", {}).items():
        size += len(name.encode()) + len(value["DataType"].encode())
        if "StringValue" in value:
            size += len(value["StringValue"].encode())
        if "BinaryValue" in value:
            size += len(value["BinaryValue"])
    return size


@pytest.mark.parametrize(
    "body_bytes",
    [SQS_LIMIT_BYTES, SQS_LIMIT_BYTES - 1, SQS_LIMIT_BYTES - 100, SQS_LIMIT_BYTES - 3000],
    ids=["exactly-the-limit", "one-under", "100-under", "3000-under"],
)
def test_a_message_at_the_size_limit_is_dead_lettered_within_the_limit(
    queues: Queues, body_bytes: int
) -> None:
    worker = bootstrap_worker(
        define_module("app", jobs=[define_job("charge", _refuse)]), sqs_client=queues.sqs
    )
    body = _body_of_size(body_bytes)
    queues.send(body)

    response, _ = deliver(worker, queues)

    assert response == {"batchItemFailures": []}
    (letter,) = queues.dead_letters()
    assert letter["Body"] == body
    assert _size_as_sqs_counts(letter) <= SQS_LIMIT_BYTES
    names = set(letter.get("MessageAttributes", {}))
    if body_bytes <= SQS_LIMIT_BYTES - 100:
        assert "DeadLetterReason" in names
    if body_bytes == SQS_LIMIT_BYTES - 3000:
        # Every short attribute fits, and the long error message is cut to the room left.
        error = letter["MessageAttributes"]["ErrorMessage"]["StringValue"]
        assert error.startswith("refused: xxx") and len(error) < 3000
        assert _size_as_sqs_counts(letter) > SQS_LIMIT_BYTES - 100
    if body_bytes == SQS_LIMIT_BYTES:
        assert names == set()


def test_a_large_original_attribute_gives_way_to_the_reason(queues: Queues) -> None:
    worker = bootstrap_worker(
        define_module("app", jobs=[define_job("charge", _refuse)]), sqs_client=queues.sqs
    )
    body = _body_of_size(SQS_LIMIT_BYTES - 2000)
    big = {"DataType": "String", "StringValue": "t" * 1900}
    queues.send(body, MessageAttributes={"Trace": big})

    deliver(worker, queues)

    (letter,) = queues.dead_letters()
    attributes = letter["MessageAttributes"]
    assert attributes["DeadLetterReason"]["StringValue"] == "permanent_error"
    assert "Trace" not in attributes
    assert _size_as_sqs_counts(letter) <= SQS_LIMIT_BYTES


def test_an_attribute_with_a_null_binary_value_is_dead_lettered_with_its_string(
    queues: Queues,
) -> None:
    worker = bootstrap_worker(
        define_module("app", jobs=[define_job("charge", _refuse)]), sqs_client=queues.sqs
    )
    queues.send(_body_of_size(500))
    (received,) = queues.receive(wait_seconds=1)
    # The shape some event producers deliver: a string attribute with "binaryValue": null, and
    # list values SQS does not take back.
    received["messageAttributes"] = {
        "Source": {"dataType": "String", "stringValue": "billing", "binaryValue": None},  # type: ignore[typeddict-item]
        "Empty": {"dataType": "String", "stringListValues": [], "binaryListValues": []},
        "Blob": {"dataType": "Binary", "binaryValue": "AAEC"},
    }

    response = worker({"Records": [received]})

    assert response == {"batchItemFailures": []}
    (letter,) = queues.dead_letters()
    attributes = letter["MessageAttributes"]
    assert attributes["Source"] == {"DataType": "String", "StringValue": "billing"}
    assert attributes["Blob"] == {"DataType": "Binary", "BinaryValue": b"\x00\x01\x02"}
    assert "Empty" not in attributes
    assert attributes["DeadLetterReason"]["StringValue"] == "permanent_error"


def test_a_record_whose_attributes_are_all_malformed_still_dead_letters(queues: Queues) -> None:
    worker = bootstrap_worker(
        define_module("app", jobs=[define_job("charge", _refuse)]), sqs_client=queues.sqs
    )
    record = make_sqs_record(_body_of_size(300), queue_arn=queues.arn)
    record["messageAttributes"] = {"Odd": {"dataType": "Binary", "binaryValue": "not base64!"}}

    assert worker({"Records": [record]}) == {"batchItemFailures": []}

    (letter,) = queues.dead_letters()
    assert "Odd" not in letter["MessageAttributes"]
