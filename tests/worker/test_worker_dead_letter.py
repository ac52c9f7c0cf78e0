"""Dead-lettering is a real step, done once, by the worker, with the reason attached."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from worker_support import Queues, deliver

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import define_job
from glasswork.jobs.errors import PermanentJobError
from glasswork.jobs.retry_policy import RetryPolicy
from glasswork.modules import define_module
from glasswork.testing.events import job_message, make_sqs_record
from glasswork.worker import DeadLetterReason, JobEvent, Outcome, WorkerHooks, bootstrap_worker
from glasswork.worker.dead_letter import DeadLetter, dead_letter_attributes


def _attributes(message: dict[str, Any]) -> dict[str, str]:
    return {
        name: value.get("StringValue", "")
        for name, value in message.get("MessageAttributes", {}).items()
    }


def _refuse(payload: dict[str, Any], ctx: JobContext) -> None:
    raise PermanentJobError(f"account {payload['account']} is closed")


def test_a_permanent_error_is_dead_lettered_at_once_with_its_reason(queues: Queues) -> None:
    dead: list[JobEvent] = []
    job = define_job("charge", _refuse)
    worker = bootstrap_worker(
        define_module("app", jobs=[job]),
        sqs_client=queues.sqs,
        hooks=WorkerHooks(on_job_dead_letter=dead.append),
    )
    body = job_message(job, {"account": "acme"}).to_json()
    message_id = queues.send(
        body, MessageAttributes={"JobName": {"DataType": "String", "StringValue": "charge"}}
    )

    response, _ = deliver(worker, queues)

    assert response == {"batchItemFailures": []}  # acknowledged: it is on the DLQ now
    assert queues.counts() == (0, 0)
    (letter,) = queues.dead_letters()
    assert letter["Body"] == body
    assert _attributes(letter) == {
        "JobName": "charge",
        "DeadLetterReason": "permanent_error",
        "ErrorType": "PermanentJobError",
        "ErrorMessage": "account acme is closed",
        "AttemptCount": "1",
        "OriginalMessageId": message_id,
        "SourceQueueArn": queues.arn,
    }
    assert [(e.job_name, e.reason, e.attempt_number) for e in dead] == [
        ("charge", "permanent_error", 1)
    ]


def test_exhausted_retries_are_dead_lettered_by_the_worker_exactly_once(queues: Queues) -> None:
    dead: list[JobEvent] = []

    def always_fails(payload: dict[str, Any], ctx: JobContext) -> None:
        raise TimeoutError(f"attempt {ctx.attempt_number} timed out")

    policy = RetryPolicy(max_attempts=3, min_backoff_seconds=0, max_backoff_seconds=0)
    job = define_job("always-fails", always_fails, retry=policy)
    worker = bootstrap_worker(
        define_module("app", jobs=[job]),
        sqs_client=queues.sqs,
        hooks=WorkerHooks(on_job_dead_letter=dead.append),
    )
    queues.send(job_message(job, {}).to_json())

    responses = [deliver(worker, queues)[0] for _ in range(3)]

    assert [len(r["batchItemFailures"]) for r in responses] == [1, 1, 0]
    assert queues.counts() == (0, 0)
    (letter,) = queues.dead_letters()
    attributes = _attributes(letter)
    assert attributes["DeadLetterReason"] == "retries_exhausted"
    assert attributes["ErrorType"] == "TimeoutError"
    assert attributes["ErrorMessage"] == "attempt 3 timed out"
    assert attributes["AttemptCount"] == "3"
    assert len(dead) == 1


def test_dead_false_discards_the_message_with_a_log_line(
    queues: Queues, caplog: pytest.LogCaptureFixture
) -> None:
    job = define_job("best-effort", _refuse, retry=False)
    worker = bootstrap_worker(define_module("app", jobs=[job]), sqs_client=queues.sqs)
    queues.send(job_message(job, {"account": "x"}).to_json())

    with caplog.at_level(logging.ERROR, logger="glasswork.worker"):
        response, _ = deliver(worker, queues)

    assert response == {"batchItemFailures": []}
    assert queues.counts() == (0, 0)
    assert queues.dead_letters() == []
    assert any('"outcome": "discarded"' in r.getMessage() for r in caplog.records)


def test_without_a_dead_letter_queue_the_message_stays_on_the_queue(
    queues_without_dead_letter_queue: Queues,
) -> None:
    queues = queues_without_dead_letter_queue
    dead: list[JobEvent] = []
    job = define_job("charge", _refuse)
    worker = bootstrap_worker(
        define_module("app", jobs=[job]),
        sqs_client=queues.sqs,
        hooks=WorkerHooks(on_job_dead_letter=dead.append),
    )
    queues.send(job_message(job, {"account": "acme"}).to_json())

    response, records = deliver(worker, queues)

    assert response["batchItemFailures"] == [{"itemIdentifier": records[0]["messageId"]}]
    assert queues.counts() == (0, 1)  # never silently deleted
    assert dead == []


def test_a_failed_dead_letter_send_reports_the_record_failed(queues: Queues) -> None:
    dead: list[JobEvent] = []
    job = define_job("charge", _refuse)
    missing_queue = queues.url.rsplit("/", 1)[0] + "/no-such-queue"
    worker = bootstrap_worker(
        define_module("app", jobs=[job]),
        sqs_client=queues.sqs,
        dead_letter_queue_url=missing_queue,
        hooks=WorkerHooks(on_job_dead_letter=dead.append),
    )
    queues.send(job_message(job, {"account": "acme"}).to_json())

    response, records = deliver(worker, queues)

    assert response["batchItemFailures"] == [{"itemIdentifier": records[0]["messageId"]}]
    assert queues.counts() == (0, 1)
    assert dead == []


def test_a_configured_dead_letter_queue_wins_over_the_redrive_policy(queues: Queues) -> None:
    other = queues.sqs.create_queue(QueueName="ops-dlq")["QueueUrl"]
    job = define_job("charge", _refuse)
    worker = bootstrap_worker(
        define_module("app", jobs=[job]), sqs_client=queues.sqs, dead_letter_queue_url=other
    )
    queues.send(job_message(job, {"account": "acme"}).to_json())

    deliver(worker, queues)

    assert queues.dead_letters() == []
    received = queues.sqs.receive_message(QueueUrl=other, MessageAttributeNames=["All"])
    (letter,) = received["Messages"]
    assert _attributes(letter)["DeadLetterReason"] == "permanent_error"


def test_a_fifo_queue_dead_letters_into_its_fifo_dead_letter_queue(fifo_queues: Queues) -> None:
    job = define_job("charge", _refuse)
    worker = bootstrap_worker(define_module("app", jobs=[job]), sqs_client=fifo_queues.sqs)
    fifo_queues.send(
        job_message(job, {"account": "acme"}).to_json(),
        MessageGroupId="acme",
        MessageDeduplicationId="charge-acme",
    )

    response, _ = deliver(worker, fifo_queues)

    assert response == {"batchItemFailures": []}
    (letter,) = fifo_queues.dead_letters()
    assert letter["Attributes"]["MessageGroupId"] == "acme"
    assert _attributes(letter)["DeadLetterReason"] == "permanent_error"


def test_dead_letter_attributes_keep_the_original_ones_within_the_limit_of_ten() -> None:
    record = make_sqs_record(
        "{}", message_attributes={f"Custom{n}": str(n) for n in range(8)}, message_id="m-1"
    )
    letter = DeadLetter(DeadLetterReason.INVALID_PAYLOAD, ValueError("bad\x00field"), 2)

    attributes = dead_letter_attributes(record, letter)

    assert len(attributes) == 10
    assert attributes["ErrorMessage"]["StringValue"] == "bad\ufffdfield"
    assert attributes["AttemptCount"] == {"DataType": "Number", "StringValue": "2"}
    assert attributes["OriginalMessageId"]["StringValue"] == "m-1"
    assert [name for name in attributes if name.startswith("Custom")] == [
        "Custom0",
        "Custom1",
        "Custom2",
        "Custom3",
    ]


def test_every_failure_outcome_leaves_or_removes_the_message_as_documented() -> None:
    acknowledged = {outcome for outcome in Outcome if outcome.acknowledges}
    assert acknowledged == {
        Outcome.SUCCEEDED,
        Outcome.IGNORED,
        Outcome.DEAD_LETTERED,
        Outcome.DISCARDED,
    }
