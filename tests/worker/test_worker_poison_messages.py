"""Poison messages are dead-lettered on their first delivery, with the reason, never retried."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import BaseModel, field_validator
from worker_support import Queues, deliver

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import define_job
from glasswork.modules import define_module
from glasswork.testing.events import FakeLambdaContext, job_message, make_sqs_record
from glasswork.worker import JobEvent, Outcome, WorkerHooks, bootstrap_worker


class Invoice(BaseModel):
    invoice_id: str
    amount_cents: int


def _envelope(job_name: str, payload: Any) -> str:
    return json.dumps(
        {
            "jobName": job_name,
            "payload": payload,
            "jobId": "job-1",
            "enqueuedAt": datetime.now(UTC).isoformat(),
        }
    )


@pytest.mark.parametrize(
    ("body", "reason", "in_message"),
    [
        ("this is not json", "invalid_json", "not JSON"),
        (json.dumps({"payload": {}}), "missing_job_name", "jobName"),
        (_envelope("refund-invoice", {}), "unknown_job", "'send-invoice'"),
        (_envelope("send-invoice", {"invoice_id": "i-1"}), "invalid_payload", "amount_cents"),
    ],
    ids=["not-json", "no-job-name", "unknown-job", "payload-fails-schema"],
)
def test_a_poison_message_is_dead_lettered_at_once_with_its_reason(
    queues: Queues, body: str, reason: str, in_message: str
) -> None:
    ran: list[Invoice] = []
    events: dict[str, list[JobEvent]] = {"start": [], "failed": [], "dead": []}
    job = define_job("send-invoice", lambda payload, ctx: ran.append(payload), schema=Invoice)
    worker = bootstrap_worker(
        define_module("app", jobs=[job]),
        sqs_client=queues.sqs,
        hooks=WorkerHooks(
            on_job_start=events["start"].append,
            on_job_failed=events["failed"].append,
            on_job_dead_letter=events["dead"].append,
        ),
    )
    message_id = queues.send(body)

    response, _ = deliver(worker, queues)

    assert response == {"batchItemFailures": []}
    assert queues.counts() == (0, 0)
    assert ran == []
    (letter,) = queues.dead_letters()
    attributes = {k: v["StringValue"] for k, v in letter["MessageAttributes"].items()}
    assert letter["Body"] == body
    assert attributes["DeadLetterReason"] == reason
    assert attributes["ErrorType"] == "PoisonMessageError"
    assert in_message in attributes["ErrorMessage"]
    assert message_id in attributes["ErrorMessage"]
    assert attributes["AttemptCount"] == "1"
    assert events["start"] == [] and events["failed"] == []
    assert [e.reason for e in events["dead"]] == [reason]


def test_a_poison_message_among_good_ones_does_not_fail_the_batch(queues: Queues) -> None:
    ran: list[str] = []
    job = define_job("send-invoice", lambda p, ctx: ran.append(p.invoice_id), schema=Invoice)
    worker = bootstrap_worker(define_module("app", jobs=[job]), sqs_client=queues.sqs)
    queues.send(_envelope("send-invoice", {"invoice_id": "i-1", "amount_cents": 100}))
    queues.send("{broken")
    queues.send(_envelope("send-invoice", {"invoice_id": "i-2", "amount_cents": 200}))

    response, records = deliver(worker, queues)

    assert len(records) == 3
    assert response == {"batchItemFailures": []}
    assert sorted(ran) == ["i-1", "i-2"]
    assert len(queues.dead_letters()) == 1


def test_a_body_with_only_job_name_and_payload_runs_as_scheduler_sends_it() -> None:
    seen: list[JobContext] = []

    def report(payload: dict[str, Any], ctx: JobContext) -> None:
        seen.append(ctx)

    job = define_job("nightly-report", report)
    worker = bootstrap_worker(define_module("app", jobs=[job]))
    record = make_sqs_record({"jobName": "nightly-report", "payload": {"day": "mon"}})
    assert record["messageAttributes"] == {}  # scheduler deliveries carry no JobName attribute

    (result,) = worker.process_records([record], FakeLambdaContext())

    assert result.outcome is Outcome.SUCCEEDED
    (ctx,) = seen
    assert ctx.job_id == record["messageId"]
    assert ctx.job_name == "nightly-report"


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "body",
    [
        _nested(100_000),
        '{"jobName": "send-invoice", "jobId": "j-9", "payload": ' + _nested(100_000) + "}",
    ],
    ids=["nested-array", "nested-payload"],
)
def test_a_body_nested_too_deeply_is_poison_and_the_good_records_run(
    queues: Queues, body: str
) -> None:
    ran: list[str] = []
    job = define_job("send-invoice", lambda p, ctx: ran.append(p.invoice_id), schema=Invoice)
    worker = bootstrap_worker(define_module("app", jobs=[job]), sqs_client=queues.sqs)
    queues.send(_envelope("send-invoice", {"invoice_id": "i-1", "amount_cents": 100}))
    queues.send(body)
    queues.send(_envelope("send-invoice", {"invoice_id": "i-2", "amount_cents": 200}))

    response, records = deliver(worker, queues)

    assert len(records) == 3
    assert response == {"batchItemFailures": []}
    assert sorted(ran) == ["i-1", "i-2"]
    (letter,) = queues.dead_letters()
    assert letter["Body"] == body
    reason = letter["MessageAttributes"]["DeadLetterReason"]["StringValue"]
    assert reason in {"invalid_json", "invalid_payload"}


class Strange(BaseModel):
    value: str

    @field_validator("value")
    @classmethod
    def explode(cls, value: str) -> str:
        if value == "boom":
            raise LookupError("the validator's own bug")
        return value


def test_a_validator_raising_anything_makes_that_record_poison_not_the_batch(
    queues: Queues,
) -> None:
    ran: list[str] = []
    dead: list[JobEvent] = []
    job = define_job("strange", lambda p, ctx: ran.append(p.value), schema=Strange)
    worker = bootstrap_worker(
        define_module("app", jobs=[job]),
        sqs_client=queues.sqs,
        hooks=WorkerHooks(on_job_dead_letter=dead.append),
    )
    queues.send(_envelope("strange", {"value": "boom"}))
    queues.send(_envelope("strange", {"value": "fine"}))

    response, records = deliver(worker, queues)

    assert len(records) == 2
    assert response == {"batchItemFailures": []}
    assert ran == ["fine"]
    (letter,) = queues.dead_letters()
    attributes = {k: v["StringValue"] for k, v in letter["MessageAttributes"].items()}
    assert attributes["DeadLetterReason"] == "invalid_payload"
    assert "LookupError: the validator's own bug" in attributes["ErrorMessage"]
    assert "'strange'" in attributes["ErrorMessage"]
    assert [e.reason for e in dead] == ["invalid_payload"]


def test_a_body_as_job_service_writes_it_is_read_in_one_pass_and_refused_the_general_way() -> None:
    job = define_job("send-invoice", lambda payload, ctx: None, schema=Invoice)
    worker = bootstrap_worker(define_module("app", jobs=[job]))
    good = make_sqs_record(job_message(job, Invoice(invoice_id="i-1", amount_cents=5)))
    assert good["body"].startswith('{"jobName":"send-invoice"')
    bad_body = good["body"].replace('"amount_cents":5', '"amount_cents":"lots"')

    read_good = worker.route.read(good)
    read_bad = worker.route.read(make_sqs_record(bad_body))

    assert read_good.poison is None and read_good.payload == Invoice(
        invoice_id="i-1", amount_cents=5
    )
    assert type(read_good.message).__name__ == "SendInvoiceMessage"  # the one-pass model
    assert read_bad.poison is not None
    assert read_bad.poison.reason.value == "invalid_payload"
    assert "amount_cents" in str(read_bad.poison)
