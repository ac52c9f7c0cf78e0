"""Direct invocation by EventBridge or EventBridge Scheduler: how periodic jobs run."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import define_periodic_job
from glasswork.jobs.errors import InvalidJobPayloadError
from glasswork.modules import define_module
from glasswork.testing.events import FakeLambdaContext
from glasswork.worker import JobEvent, UnknownJobError, WorkerHooks, bootstrap_worker


class Cleanup(BaseModel):
    older_than_days: int = 30


def _worker(ran: list[Any], hooks: WorkerHooks | None = None) -> Any:
    def cleanup(payload: Cleanup, ctx: JobContext) -> None:
        ran.append((payload.older_than_days, ctx.job_name, ctx.job_id, ctx.attempt_number))
        if payload.older_than_days < 0:
            raise RuntimeError("negative age")

    async def ping(payload: dict[str, Any], ctx: JobContext) -> None:
        ran.append("ping")

    jobs = [
        define_periodic_job("cleanup", cleanup, schedule="rate(1 day)", schema=Cleanup),
        define_periodic_job("ping", ping, schedule="rate(5 minutes)"),
    ]
    return bootstrap_worker(define_module("app", jobs=jobs), hooks=hooks)


def test_a_scheduler_invocation_runs_the_named_job() -> None:
    ran: list[Any] = []
    worker = _worker(ran)

    result = worker({"jobName": "cleanup", "payload": {"older_than_days": 7}}, FakeLambdaContext())

    assert ran[0][:2] == (7, "cleanup") and ran[0][3] == 1
    assert result["jobName"] == "cleanup" and result["outcome"] == "succeeded"
    assert result["jobId"] == ran[0][2]


def test_an_eventbridge_event_names_the_job_in_its_detail() -> None:
    ran: list[Any] = []
    worker = _worker(ran)
    event = {
        "version": "0",
        "id": "eb-event-1",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "detail": {"jobName": "cleanup"},
    }

    worker(event, FakeLambdaContext())

    assert ran == [(30, "cleanup", "eb-event-1", 1)]


def test_an_async_periodic_job_runs_to_its_end() -> None:
    ran: list[Any] = []

    _worker(ran)({"jobName": "ping"}, FakeLambdaContext())

    assert ran == ["ping"]


def test_an_unknown_job_is_a_clear_error_listing_the_known_ones() -> None:
    with pytest.raises(UnknownJobError, match="'cleanup', 'ping'"):
        _worker([])({"jobName": "vacuum", "payload": {}}, FakeLambdaContext())


def test_an_invalid_payload_names_the_field() -> None:
    with pytest.raises(InvalidJobPayloadError, match="older_than_days"):
        _worker([])({"jobName": "cleanup", "payload": {"older_than_days": "x"}}, None)


def test_a_failing_job_raises_so_lambda_retries_and_hooks_see_it() -> None:
    failed: list[JobEvent] = []
    worker = _worker([], WorkerHooks(on_job_failed=failed.append))

    with pytest.raises(RuntimeError, match="negative age"):
        worker({"jobName": "cleanup", "payload": {"older_than_days": -1}}, FakeLambdaContext())

    assert [(e.job_name, e.outcome) for e in failed] == [("cleanup", "failed")]
