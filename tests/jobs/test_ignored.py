"""Specification of ``Ignored``, the value a handler returns when it chose not to do its work."""

from __future__ import annotations

import pytest

from glasswork import Ignored, MockQueueDriver
from glasswork.idempotency import IdempotencyState, InMemoryIdempotencyStore
from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import define_job
from glasswork.jobs.idempotent import IDEMPOTENCY_STORE_PROVIDER
from glasswork.jobs.service import JobService
from glasswork.modules import Provider, define_module
from glasswork.testing import drain


@pytest.mark.parametrize("reason", ["suppressed", "order.cancelled", "a-b_2", "x" * 64])
def test_a_reason_is_a_short_label(reason: str) -> None:
    assert Ignored(reason).reason == reason


@pytest.mark.parametrize("reason", ["", "Suppressed", "not sent", "-x", "x" * 65, "a\nb"])
def test_a_reason_that_is_no_label_is_refused_naming_it(reason: str) -> None:
    with pytest.raises(ValueError, match=r"Ignored reason must be a label .* got "):
        Ignored(reason)


def test_an_idempotent_job_that_ignores_its_work_completes_its_key_and_is_not_run_again() -> None:
    runs: list[str] = []

    def ship(payload: dict[str, str], ctx: JobContext) -> Ignored:
        runs.append(ctx.job_id)
        return Ignored("order_cancelled")

    job = define_job("ship", ship, idempotent=True)
    store = InMemoryIdempotencyStore()
    provider = Provider(provide=IDEMPOTENCY_STORE_PROVIDER, use_value=store)
    module = define_module("shop", jobs=[job], providers=[provider])
    driver = MockQueueDriver()
    JobService(driver).enqueue(job, {"order": "o-1"})
    assert driver.last_job is not None
    again = driver.last_job

    first = drain(module, driver)
    driver.enqueued.append(again)  # SQS delivers it once more
    second = drain(module, driver)

    assert len(runs) == 1
    [ignored] = first.ignored
    assert ignored.reason == "order_cancelled"
    assert [(r.outcome.value, r.reason) for r in second.deliveries] == [("ignored", "duplicate")]
    assert store.claim(f"job:ship:{runs[0]}", lease_seconds=60).state is (
        IdempotencyState.COMPLETED
    )
