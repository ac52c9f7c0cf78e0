"""Specification of idempotent jobs: ``define_job(..., idempotent=True)`` or ``idempotency_key``.

Jobs run through the real worker path (``glasswork.testing.drain``) with the app's
``idempotency_store`` provider: in memory, and DynamoDB on the emulator. A redelivery is the
same message enqueued again (SQS delivers at least once).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pydantic import BaseModel

from glasswork import JobService, MockQueueDriver
from glasswork.idempotency import (
    DynamoDBIdempotencyStore,
    IdempotencyState,
    IdempotencyStore,
    InMemoryIdempotencyStore,
)
from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import JobDefinition, define_job
from glasswork.jobs.errors import InvalidJobDefinitionError
from glasswork.jobs.idempotent import IDEMPOTENCY_STORE_PROVIDER
from glasswork.modules import Module, Provider, define_module
from glasswork.testing import LocalAWS, drain
from glasswork.worker import Outcome


class Charge(BaseModel):
    order_id: str
    cents: int


def app(job: JobDefinition[Any], store: IdempotencyStore | None) -> Module:
    providers = (
        [Provider(provide=IDEMPOTENCY_STORE_PROVIDER, use_value=store)] if store is not None else []
    )
    return define_module("app", jobs=[job], providers=providers)


def redeliver(driver: MockQueueDriver) -> None:
    """SQS delivers the last enqueued message once more."""
    assert driver.last_job is not None
    driver.enqueued.append(driver.last_job)


def test_an_idempotent_job_delivered_twice_runs_once() -> None:
    charges: list[str] = []

    def charge(payload: Charge, ctx: JobContext) -> None:
        charges.append(payload.order_id)

    job = define_job("charge", charge, schema=Charge, idempotent=True)
    driver = MockQueueDriver()
    jobs = JobService(driver)
    jobs.enqueue(job, Charge(order_id="o-1", cents=500))
    redeliver(driver)
    jobs.enqueue(job, Charge(order_id="o-1", cents=500))  # another job: another job id

    result = drain(app(job, InMemoryIdempotencyStore()), driver)

    assert len(result.succeeded) == 2
    [duplicate] = result.ignored  # acknowledged, not run, and reported as such
    assert (duplicate.outcome.value, duplicate.reason) == ("ignored", "duplicate")
    assert charges == ["o-1", "o-1"]


def test_an_idempotency_key_makes_two_enqueues_of_the_same_work_one() -> None:
    charges: list[str] = []

    def charge(payload: Charge, ctx: JobContext) -> None:
        charges.append(payload.order_id)

    job = define_job("charge", charge, schema=Charge, idempotency_key=lambda p: p.order_id)
    driver = MockQueueDriver()
    jobs = JobService(driver)
    for order_id in ("o-1", "o-1", "o-2"):
        jobs.enqueue(job, Charge(order_id=order_id, cents=500))

    drain(app(job, InMemoryIdempotencyStore()), driver)

    assert charges == ["o-1", "o-2"]


def test_a_failed_run_releases_its_claim_so_the_retry_runs() -> None:
    attempts: list[int] = []

    def flaky(payload: dict[str, Any], ctx: JobContext) -> None:
        attempts.append(ctx.attempt_number)
        if len(attempts) == 1:
            raise RuntimeError("payment provider timed out")

    job = define_job("flaky", flaky, idempotent=True)
    driver = MockQueueDriver()
    JobService(driver).enqueue(job, {})

    result = drain(app(job, InMemoryIdempotencyStore()), driver)

    assert attempts == [1, 2]
    assert [r.outcome for r in result.deliveries] == [Outcome.RETRY_SCHEDULED, Outcome.SUCCEEDED]


def test_a_job_another_attempt_is_running_waits_for_its_lease() -> None:
    ran: list[str] = []
    job = define_job("slow", lambda payload, ctx: ran.append(ctx.job_id), idempotent=True)
    driver = MockQueueDriver()
    enqueued = JobService(driver).enqueue(job, {})
    store = InMemoryIdempotencyStore()
    store.claim(f"job:slow:{enqueued.job_id}", lease_seconds=60)  # another worker runs it

    result = drain(app(job, store), driver, follow_retries=False)

    assert ran == []
    assert result.deliveries[0].outcome is Outcome.RETRY_SCHEDULED
    assert 1 <= result.postponed[0][1] <= 60


def test_an_async_handler_stays_async_and_is_guarded() -> None:
    ran: list[str] = []

    async def notify(payload: dict[str, Any], ctx: JobContext) -> None:
        await asyncio.sleep(0)
        ran.append(ctx.job_id)

    job = define_job("notify", notify, idempotent=True)
    assert job.is_async
    driver = MockQueueDriver()
    JobService(driver).enqueue(job, {})
    redeliver(driver)

    drain(app(job, InMemoryIdempotencyStore()), driver)

    assert len(ran) == 1


def test_an_idempotent_job_without_a_store_is_dead_lettered_with_the_fix() -> None:
    job = define_job("charge", lambda payload, ctx: None, idempotent=True)
    driver = MockQueueDriver()
    JobService(driver).enqueue(job, {})

    result = drain(app(job, None), driver)

    [letter] = result.dead_letters
    assert "provides no 'idempotency_store'" in str(letter.reason) + str(letter)


def test_idempotency_options_are_checked_when_the_job_is_defined() -> None:
    with pytest.raises(InvalidJobDefinitionError, match="idempotency_lease_seconds"):
        define_job("x", lambda payload, ctx: None, idempotent=True, idempotency_lease_seconds=0)


def test_a_plain_job_is_not_guarded() -> None:
    def handler(payload: dict[str, Any], ctx: JobContext) -> None:
        pass

    assert define_job("plain", handler).handler is handler


def test_through_dynamodb_a_duplicate_delivery_runs_once(local_aws: LocalAWS) -> None:
    charges: list[str] = []
    store = DynamoDBIdempotencyStore("jobs-idempotency", client=local_aws.client("dynamodb"))
    store.create_table()

    def charge(payload: Charge, ctx: JobContext) -> None:
        charges.append(payload.order_id)

    job = define_job("charge", charge, schema=Charge, idempotent=True)
    driver = MockQueueDriver()
    enqueued = JobService(driver).enqueue(job, Charge(order_id="o-9", cents=1))
    redeliver(driver)

    drain(app(job, store), driver)

    assert charges == ["o-9"]
    claim = store.claim(f"job:charge:{enqueued.job_id}")
    assert claim.state is IdempotencyState.COMPLETED
