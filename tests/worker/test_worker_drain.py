"""``glasswork.testing.drain``: a flow tested without AWS, through the real worker path."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import define_job
from glasswork.jobs.drivers.mock import MockQueueDriver
from glasswork.jobs.errors import PermanentJobError
from glasswork.jobs.retry_policy import RetryPolicy
from glasswork.jobs.service import JobService
from glasswork.modules import Provider, define_module
from glasswork.testing.drain import DrainLimitError, drain
from glasswork.worker import DeadLetterReason, JobEvent, Outcome, WorkerHooks, bootstrap_worker


class Signup(BaseModel):
    user_id: str


def _app(driver: MockQueueDriver, log: list[str], *, flaky_failures: int = 0) -> Any:
    failures = {"left": flaky_failures}

    def register(payload: Signup, ctx: JobContext) -> None:
        log.append(f"register {payload.user_id}")
        ctx.services.get("job_service").enqueue(welcome, Signup(user_id=payload.user_id))

    def send_welcome(payload: Signup, ctx: JobContext) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise ConnectionError("smtp down")
        log.append(f"welcome {payload.user_id} (attempt {ctx.attempt_number})")

    def refuse(payload: Signup, ctx: JobContext) -> None:
        raise PermanentJobError(f"user {payload.user_id} is banned")

    welcome = define_job(
        "send-welcome",
        send_welcome,
        schema=Signup,
        retry=RetryPolicy(max_attempts=3, min_backoff_seconds=60),
    )
    jobs = [
        define_job("register", register, schema=Signup),
        welcome,
        define_job("refuse", refuse, schema=Signup),
    ]
    providers = [Provider("job_service", use_value=JobService(driver))]
    return define_module("app", providers=providers, exports=["job_service"], jobs=jobs), jobs


def test_drain_runs_enqueued_jobs_and_the_jobs_they_enqueue() -> None:
    driver = MockQueueDriver()
    log: list[str] = []
    app, (register, _welcome, _refuse) = _app(driver, log)
    JobService(driver).enqueue(register, Signup(user_id="u1"))

    result = drain(app, driver)

    assert log == ["register u1", "welcome u1 (attempt 1)"]
    assert result.succeeded_job_names() == ["register", "send-welcome"]
    assert driver.enqueued == []


def test_drain_follows_retries_with_growing_attempt_numbers() -> None:
    driver = MockQueueDriver()
    log: list[str] = []
    app, (_register, welcome, _refuse) = _app(driver, log, flaky_failures=2)
    JobService(driver).enqueue(welcome, Signup(user_id="u2"))

    result = drain(app, driver)

    assert log == ["welcome u2 (attempt 3)"]
    assert [r.outcome for r in result.deliveries] == [
        Outcome.RETRY_SCHEDULED,
        Outcome.RETRY_SCHEDULED,
        Outcome.SUCCEEDED,
    ]
    assert [delay for _, delay in result.postponed] and all(
        30 <= delay <= 120 for _, delay in result.postponed
    )


def test_drain_dead_letters_after_the_last_attempt_and_on_permanent_errors() -> None:
    driver = MockQueueDriver()
    dead: list[JobEvent] = []
    app, (_register, welcome, refuse) = _app(driver, [], flaky_failures=10)
    service = JobService(driver)
    service.enqueue(welcome, Signup(user_id="u3"))
    service.enqueue(refuse, Signup(user_id="u4"))

    result = drain(app, driver, hooks=WorkerHooks(on_job_dead_letter=dead.append))

    reasons = sorted(letter.letter.reason for letter in result.dead_letters)
    assert reasons == [DeadLetterReason.PERMANENT_ERROR, DeadLetterReason.RETRIES_EXHAUSTED]
    assert len(result.dead_lettered) == 2 and len(dead) == 2
    assert len(result.deliveries) == 4  # three attempts of send-welcome, one of refuse


def test_drain_uses_a_bootstrapped_workers_hooks() -> None:
    driver = MockQueueDriver()
    started: list[str] = []
    app, (register, _welcome, _refuse) = _app(driver, [])
    worker = bootstrap_worker(
        app, hooks=WorkerHooks(on_job_start=lambda e: started.append(e.job_name or ""))
    )
    JobService(driver).enqueue(register, Signup(user_id="u5"))

    drain(worker, driver)

    assert started == ["register", "send-welcome"]


def test_drain_without_following_retries_runs_each_message_once() -> None:
    driver = MockQueueDriver()
    app, (_register, welcome, _refuse) = _app(driver, [], flaky_failures=10)
    JobService(driver).enqueue(welcome, Signup(user_id="u6"))

    result = drain(app, driver, follow_retries=False)

    assert [r.outcome for r in result.deliveries] == [Outcome.RETRY_SCHEDULED]


def test_drain_stops_a_job_that_enqueues_itself_forever() -> None:
    driver = MockQueueDriver()

    def again(payload: dict[str, Any], ctx: JobContext) -> None:
        ctx.services.get("job_service").enqueue(loop, {})

    loop = define_job("loop", again)
    app = define_module(
        "app",
        providers=[Provider("job_service", use_value=JobService(driver))],
        jobs=[loop],
    )
    JobService(driver).enqueue(loop, {})

    with pytest.raises(DrainLimitError, match="'loop'"):
        drain(app, driver, max_deliveries=25)
