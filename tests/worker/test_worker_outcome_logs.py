"""Log lines: one JSON object per outcome, and ``ctx.logger`` carrying the job's identity."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from worker_support import Queues, deliver

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import define_job
from glasswork.jobs.errors import PermanentJobError
from glasswork.modules import define_module
from glasswork.testing.events import FakeLambdaContext, job_message, make_sqs_event
from glasswork.worker import bootstrap_worker


def _outcome_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "glasswork.worker"]


def test_each_outcome_is_one_json_line_with_job_id_name_attempt_duration_and_outcome(
    queues: Queues, caplog: pytest.LogCaptureFixture
) -> None:
    def maybe_fail(payload: dict[str, Any], ctx: JobContext) -> None:
        if payload["fail"]:
            raise PermanentJobError("card declined")

    job = define_job("charge", maybe_fail)
    worker = bootstrap_worker(define_module("app", jobs=[job]), sqs_client=queues.sqs)
    queues.send(job_message(job, {"fail": False}, job_id="ok-1").to_json())
    queues.send(job_message(job, {"fail": True}, job_id="bad-1").to_json())

    with caplog.at_level(logging.INFO, logger="glasswork.worker"):
        deliver(worker, queues)

    lines = {line["job_id"]: line for line in _outcome_lines(caplog)}
    assert set(lines) == {"ok-1", "bad-1"}
    ok, bad = lines["ok-1"], lines["bad-1"]
    assert ok["outcome"] == "succeeded" and ok["job_name"] == "charge" and ok["attempt"] == 1
    assert isinstance(ok["duration_ms"], float) and ok["duration_ms"] >= 0
    assert bad["outcome"] == "dead_lettered" and bad["reason"] == "permanent_error"
    assert bad["error_type"] == "PermanentJobError" and bad["error_message"] == "card declined"
    assert "card declined" in bad["traceback"]
    levels = {json.loads(r.getMessage())["job_id"]: r.levelno for r in caplog.records}
    assert levels == {"ok-1": logging.INFO, "bad-1": logging.ERROR}
    assert all("\n" not in r.getMessage() for r in caplog.records if r.name == "glasswork.worker")


def test_ctx_logger_carries_the_job_id_and_name(caplog: pytest.LogCaptureFixture) -> None:
    def handler(payload: dict[str, Any], ctx: JobContext) -> None:
        ctx.logger.info("sending to %s", payload["to"], extra={"step": "send"})

    job = define_job("send-mail", handler)
    worker = bootstrap_worker(define_module("app", jobs=[job]))

    with caplog.at_level(logging.INFO):
        worker(make_sqs_event(job_message(job, {"to": "a@b.c"}, job_id="j-9")), FakeLambdaContext())

    (record,) = [r for r in caplog.records if r.getMessage() == "sending to a@b.c"]
    assert record.job_id == "j-9"  # type: ignore[attr-defined]
    assert record.job_name == "send-mail"  # type: ignore[attr-defined]
    assert record.step == "send"  # type: ignore[attr-defined]
    assert record.name == "glasswork.job.send-mail"


def test_outcome_lines_cost_nothing_when_info_is_disabled(caplog: pytest.LogCaptureFixture) -> None:
    job = define_job("quiet", lambda payload, ctx: None)
    worker = bootstrap_worker(define_module("app", jobs=[job]))

    with caplog.at_level(logging.WARNING, logger="glasswork.worker"):
        worker(make_sqs_event(job_message(job, {})), FakeLambdaContext())

    assert _outcome_lines(caplog) == []
