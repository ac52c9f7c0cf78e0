"""``WorkerHooks``: once per attempt, dead-letter exactly once, never changing an outcome."""

from __future__ import annotations

from typing import Any

import pytest
from worker_support import Queues, deliver

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import define_job
from glasswork.jobs.errors import RetryExhaustedError
from glasswork.jobs.retry_policy import RetryPolicy
from glasswork.modules import define_module
from glasswork.testing.events import FakeLambdaContext, job_message, make_sqs_event
from glasswork.worker import JobEvent, Outcome, WorkerHooks, bootstrap_worker


class Recorder:
    """Collects the events of every hook."""

    def __init__(self) -> None:
        self.events: dict[str, list[JobEvent]] = {
            "start": [],
            "complete": [],
            "failed": [],
            "dead": [],
        }

    def hooks(self) -> WorkerHooks:
        return WorkerHooks(
            on_job_start=self.events["start"].append,
            on_job_complete=self.events["complete"].append,
            on_job_failed=self.events["failed"].append,
            on_job_dead_letter=self.events["dead"].append,
        )

    def counts(self) -> dict[str, int]:
        return {name: len(events) for name, events in self.events.items()}


def test_hooks_fire_once_per_attempt_and_dead_letter_exactly_once(queues: Queues) -> None:
    recorder = Recorder()

    def always_fails(payload: dict[str, Any], ctx: JobContext) -> None:
        raise RuntimeError("boom")

    policy = RetryPolicy(max_attempts=3, min_backoff_seconds=0, max_backoff_seconds=0)
    failing = define_job("always-fails", always_fails, retry=policy)
    fine = define_job("fine", lambda payload, ctx: None)
    worker = bootstrap_worker(
        define_module("app", jobs=[failing, fine]), sqs_client=queues.sqs, hooks=recorder.hooks()
    )
    queues.send(job_message(failing, {}).to_json())
    queues.send(job_message(fine, {}).to_json())

    deliver(worker, queues)
    deliver(worker, queues)
    deliver(worker, queues)

    assert recorder.counts() == {"start": 4, "complete": 1, "failed": 3, "dead": 1}
    assert [e.attempt_number for e in recorder.events["failed"]] == [1, 2, 3]
    assert [e.outcome for e in recorder.events["failed"]] == [
        "retry_scheduled",
        "retry_scheduled",
        "dead_lettered",
    ]
    (dead,) = recorder.events["dead"]
    assert (dead.job_name, dead.reason, type(dead.error)) == (
        "always-fails",
        "retries_exhausted",
        RetryExhaustedError,
    )
    assert isinstance(dead.error, RetryExhaustedError)
    assert dead.error.attempts == 3 and isinstance(dead.error.last_error, RuntimeError)
    (complete,) = recorder.events["complete"]
    assert complete.job_name == "fine" and complete.duration_seconds is not None


@pytest.mark.parametrize("failing_hook", ["on_job_start", "on_job_complete"])
def test_a_hook_that_raises_is_logged_and_never_turns_success_into_a_retry(
    failing_hook: str, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(event: JobEvent) -> None:
        raise ValueError("metrics backend down")

    ran: list[int] = []
    job = define_job("fine", lambda payload, ctx: ran.append(1))
    worker = bootstrap_worker(
        define_module("app", jobs=[job]), hooks=WorkerHooks(**{failing_hook: broken})
    )

    response = worker(make_sqs_event(job_message(job, {})), FakeLambdaContext())

    assert response == {"batchItemFailures": []}
    assert ran == [1]
    assert any(
        failing_hook in r.getMessage()
        and r.exc_info
        and "metrics backend down" in str(r.exc_info[1])
        for r in caplog.records
    )


def test_async_hooks_are_awaited() -> None:
    seen: list[str] = []

    async def on_start(event: JobEvent) -> None:
        seen.append(f"start {event.job_name}")

    async def on_complete(event: JobEvent) -> None:
        seen.append(f"complete {event.job_name}")

    sync_job = define_job("sync-job", lambda payload, ctx: None)

    async def async_handler(payload: dict[str, Any], ctx: JobContext) -> None:
        return None

    async_job = define_job("async-job", async_handler)
    worker = bootstrap_worker(
        define_module("app", jobs=[sync_job, async_job]),
        hooks=WorkerHooks(on_job_start=on_start, on_job_complete=on_complete),
    )

    worker(make_sqs_event(job_message(sync_job, {})), FakeLambdaContext())
    worker(make_sqs_event(job_message(async_job, {})), FakeLambdaContext())

    assert seen == [
        "start sync-job",
        "complete sync-job",
        "start async-job",
        "complete async-job",
    ]


def test_a_failed_hook_on_a_failure_keeps_the_retry(queues: Queues) -> None:
    def broken(event: JobEvent) -> None:
        raise ValueError("hook bug")

    def fails(payload: dict[str, Any], ctx: JobContext) -> None:
        raise RuntimeError("job bug")

    job = define_job("fails", fails, retry=RetryPolicy(min_backoff_seconds=60))
    worker = bootstrap_worker(
        define_module("app", jobs=[job]),
        sqs_client=queues.sqs,
        hooks=WorkerHooks(on_job_failed=broken),
    )
    queues.send(job_message(job, {}).to_json())

    (result,) = worker.process_records(queues.receive(wait_seconds=1), FakeLambdaContext())

    assert result.outcome is Outcome.RETRY_SCHEDULED
    assert result.retry_in_seconds is not None and result.retry_in_seconds >= 30
