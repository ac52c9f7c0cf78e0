"""A handler that returns ``Ignored(reason)``: acknowledged, and reported ``ignored`` with its
reason in the outcome line, the EMF metrics and the hooks — through SQS on the emulator."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from worker_support import Queues, deliver

from glasswork import Ignored, JobService, SQSQueueDriver
from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import define_job
from glasswork.modules import define_module
from glasswork.worker import JobEvent, WorkerHooks, bootstrap_worker
from glasswork.worker.metrics import Metrics


def _ship(payload: dict[str, Any], ctx: JobContext) -> Ignored | None:
    return Ignored("order_cancelled") if payload["cancelled"] else None


async def _ship_async(payload: dict[str, Any], ctx: JobContext) -> Ignored | None:
    return Ignored("order_cancelled") if payload["cancelled"] else None


SHIP = define_job("ship", _ship)
SHIP_ASYNC = define_job("ship-async", _ship_async)


def _outcome_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "glasswork.worker"
    ]


@pytest.mark.parametrize("job", [SHIP, SHIP_ASYNC], ids=["sync", "async"])
def test_an_ignored_job_is_acknowledged_and_reported_ignored_with_its_reason(
    queues: Queues, caplog: pytest.LogCaptureFixture, job: Any
) -> None:
    completed: list[JobEvent] = []
    failed: list[JobEvent] = []
    lines: list[str] = []
    worker = bootstrap_worker(
        define_module("shop", jobs=[job]),
        sqs_client=queues.sqs,
        hooks=WorkerHooks(on_job_complete=completed.append, on_job_failed=failed.append),
        metrics=Metrics(write=lines.append),
    )
    jobs = JobService(SQSQueueDriver({"default": queues.url}, client=queues.sqs))
    cancelled = jobs.enqueue(job, {"cancelled": True})
    jobs.enqueue(job, {"cancelled": False})

    with caplog.at_level(logging.INFO, logger="glasswork.worker"):
        response, records = deliver(worker, queues)

    assert len(records) == 2
    assert response == {"batchItemFailures": []}, "ignored is acknowledged"
    assert queues.counts() == (0, 0)
    assert queues.dead_letters() == []
    by_job_id = {line["job_id"]: line for line in _outcome_lines(caplog)}
    ignored_line = by_job_id.pop(cancelled.job_id)
    assert (ignored_line["outcome"], ignored_line["reason"]) == ("ignored", "order_cancelled")
    [succeeded_line] = by_job_id.values()
    assert succeeded_line["outcome"] == "succeeded" and "reason" not in succeeded_line
    assert failed == []
    assert sorted((event.outcome, event.reason) for event in completed) == [
        ("ignored", "order_cancelled"),
        ("succeeded", None),
    ]
    [document] = map(json.loads, lines)
    assert (document["Succeeded"], document["Ignored"]) == (1, 1)
    assert {"Name": "Ignored", "Unit": "Count"} in document["_aws"]["CloudWatchMetrics"][0][
        "Metrics"
    ]


def test_a_direct_invocation_reports_ignored_with_its_reason(
    caplog: pytest.LogCaptureFixture,
) -> None:
    worker = bootstrap_worker(define_module("shop", jobs=[SHIP]))
    with caplog.at_level(logging.INFO, logger="glasswork.worker"):
        result = worker({"jobName": "ship", "payload": {"cancelled": True}}, None)
    assert isinstance(result, dict)
    assert (result["outcome"], result["reason"]) == ("ignored", "order_cancelled")
    [line] = _outcome_lines(caplog)
    assert (line["outcome"], line["reason"]) == ("ignored", "order_cancelled")
