"""Specification of MockQueueDriver, the in-memory driver users test with."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import BaseModel

from glasswork import InvalidJobPayloadError, JobService, MockQueueDriver, define_job


class Greeting(BaseModel):
    name: str


greet = define_job("greet", lambda payload, ctx: None, schema=Greeting)


def test_records_each_enqueued_message_with_delay_and_time() -> None:
    driver = MockQueueDriver()
    service = JobService(driver)
    service.enqueue(greet, Greeting(name="Ada"))
    service.enqueue_in(greet, Greeting(name="Bob"), "10m")
    when = datetime.now(UTC) + timedelta(days=2)
    service.enqueue_at(greet, Greeting(name="Cy"), when)
    first, second, third = driver.enqueued
    assert (
        first.message.payload == {"name": "Ada"}
        and first.delay == timedelta(0)
        and first.at is None
    )
    assert second.delay == timedelta(minutes=10)
    assert third.at == when and timedelta(days=1) < third.delay <= timedelta(days=2)
    assert driver.last_job is third
    assert [job.job_name for job in driver.jobs_named("greet")] == ["greet"] * 3


def test_validation_still_happens_before_recording() -> None:
    driver = MockQueueDriver()
    with pytest.raises(InvalidJobPayloadError):
        JobService(driver).enqueue(greet, {"nom": "x"})  # type: ignore[arg-type]
    assert driver.enqueued == [] and driver.last_job is None


def test_simulate_failure_fails_the_next_sends_then_recovers() -> None:
    driver = MockQueueDriver()
    service = JobService(driver)
    driver.simulate_failure(ConnectionError("queue down"), times=2)
    with pytest.raises(ConnectionError):
        service.enqueue(greet, Greeting(name="a"))
    results = service.enqueue_batch([(greet, Greeting(name="b")), (greet, Greeting(name="c"))])
    assert [result.ok for result in results] == [False, True]
    assert isinstance(results[0].error, ConnectionError)
    assert [job.message.payload["name"] for job in driver.enqueued] == ["c"]


def test_clear_forgets_jobs_and_pending_failures() -> None:
    driver = MockQueueDriver()
    service = JobService(driver)
    service.enqueue(greet, Greeting(name="a"))
    driver.simulate_failure(RuntimeError("x"))
    driver.clear()
    assert driver.enqueued == []
    service.enqueue(greet, Greeting(name="b"))
    assert driver.last_job is not None and driver.last_job.message.payload == {"name": "b"}
