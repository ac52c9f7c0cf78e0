"""Batches: concurrency limits, partial batch responses, FIFO groups and Lambda's time."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any

from worker_support import Queues, deliver

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import define_job
from glasswork.jobs.errors import TransientJobError
from glasswork.jobs.message import JobMessage
from glasswork.jobs.retry_policy import RetryPolicy
from glasswork.modules import define_module
from glasswork.testing.events import FakeLambdaContext, job_message, make_sqs_event
from glasswork.worker import Outcome, bootstrap_worker


class Gauge:
    """Counts how many handlers run at the same time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.peak = 0
        self.finished = 0

    def enter(self) -> None:
        with self.lock:
            self.running += 1
            self.peak = max(self.peak, self.running)

    def leave(self) -> None:
        with self.lock:
            self.running -= 1
            self.finished += 1


def test_sync_handlers_run_concurrently_but_never_more_than_the_concurrency_limit() -> None:
    gauge = Gauge()

    def wait_on_io(payload: dict[str, Any], ctx: JobContext) -> None:
        gauge.enter()
        time.sleep(0.1)
        gauge.leave()

    job = define_job("wait-on-io", wait_on_io)
    worker = bootstrap_worker(define_module("app", jobs=[job]), concurrency=3)

    started = time.perf_counter()
    response = worker(
        make_sqs_event(*[job_message(job, {}) for _ in range(9)]), FakeLambdaContext()
    )
    elapsed = time.perf_counter() - started

    assert response == {"batchItemFailures": []}
    assert gauge.finished == 9
    assert gauge.peak == 3
    assert elapsed < 0.6  # three waves of 0.1 s, not nine


def test_async_handlers_run_concurrently_but_never_more_than_the_concurrency_limit() -> None:
    gauge = Gauge()

    async def wait_on_io(payload: dict[str, Any], ctx: JobContext) -> None:
        gauge.enter()
        await asyncio.sleep(0.1)
        gauge.leave()

    job = define_job("wait-on-io", wait_on_io)
    worker = bootstrap_worker(define_module("app", jobs=[job]), concurrency=4)

    started = time.perf_counter()
    response = worker(
        make_sqs_event(*[job_message(job, {}) for _ in range(8)]), FakeLambdaContext()
    )
    elapsed = time.perf_counter() - started

    assert response == {"batchItemFailures": []}
    assert gauge.finished == 8
    assert gauge.peak == 4
    assert elapsed < 0.5


def test_a_batch_mixing_sync_and_async_jobs_runs_both_kinds() -> None:
    ran: list[str] = []

    async def async_job(payload: dict[str, Any], ctx: JobContext) -> None:
        await asyncio.sleep(0)
        ran.append(f"async-{payload['n']}")

    def sync_job(payload: dict[str, Any], ctx: JobContext) -> None:
        ran.append(f"sync-{payload['n']}")

    a = define_job("async-job", async_job)
    s = define_job("sync-job", sync_job)
    worker = bootstrap_worker(define_module("app", jobs=[a, s]))
    event = make_sqs_event(job_message(a, {"n": 1}), job_message(s, {"n": 2}))

    for _ in range(3):  # the first run has no duration estimates, later ones run inline
        ran.clear()
        assert worker(event, FakeLambdaContext()) == {"batchItemFailures": []}
        assert sorted(ran) == ["async-1", "sync-2"]


def test_quick_jobs_keep_the_same_outcomes_once_the_worker_runs_them_inline() -> None:
    def fail_odd(payload: dict[str, Any], ctx: JobContext) -> None:
        if payload["n"] % 2:
            raise ValueError("odd")

    job = define_job("fail-odd", fail_odd, retry=RetryPolicy(max_attempts=1, dead=False))
    worker = bootstrap_worker(define_module("app", jobs=[job]))
    event = make_sqs_event(*[job_message(job, {"n": n}) for n in range(6)])

    outcomes = [
        [r.outcome for r in worker.process_records(event["Records"], FakeLambdaContext())]
        for _ in range(3)
    ]

    assert outcomes[0] == outcomes[1] == outcomes[2]
    assert outcomes[0] == [Outcome.SUCCEEDED, Outcome.DISCARDED] * 3


def test_the_batch_response_lists_exactly_the_records_to_retry(
    queues: Queues,
) -> None:
    def flaky(payload: dict[str, Any], ctx: JobContext) -> None:
        if payload["fail"]:
            raise TransientJobError("upstream busy", retry_after=60)

    job = define_job("flaky", flaky)
    worker = bootstrap_worker(define_module("app", jobs=[job]), sqs_client=queues.sqs)
    ids = {}
    for n in range(5):
        message = job_message(job, {"fail": n in (1, 3)})
        ids[queues.send(message.to_json())] = n in (1, 3)

    response, records = deliver(worker, queues)

    assert len(records) == 5
    failed = {item["itemIdentifier"] for item in response["batchItemFailures"]}
    assert failed == {message_id for message_id, fails in ids.items() if fails}
    assert queues.counts() == (0, 2)  # the successes were deleted, the failures wait


def test_fifo_group_runs_in_order_and_stops_at_a_failure_while_other_groups_go_on(
    fifo_queues: Queues,
) -> None:
    ran: list[str] = []

    def step(payload: dict[str, Any], ctx: JobContext) -> None:
        time.sleep(0.02)
        ran.append(payload["name"])
        if payload["name"] == "a2":
            raise TransientJobError("a2 failed", retry_after=60)

    job = define_job("step", step)
    worker = bootstrap_worker(define_module("app", jobs=[job]), sqs_client=fifo_queues.sqs)
    sent: dict[str, str] = {}
    for name in ["a1", "b1", "a2", "b2", "a3", "b3"]:
        sent[name] = fifo_queues.send(
            job_message(job, {"name": name}).to_json(),
            MessageGroupId=name[0],
            MessageDeduplicationId=name,
        )

    response, records = deliver(worker, fifo_queues)

    assert len(records) == 6
    assert [n for n in ran if n.startswith("a")] == ["a1", "a2"]
    assert [n for n in ran if n.startswith("b")] == ["b1", "b2", "b3"]
    failed = {item["itemIdentifier"] for item in response["batchItemFailures"]}
    assert failed == {sent["a2"], sent["a3"]}


def test_records_not_started_when_lambda_time_runs_out_are_reported_failed_unrun() -> None:
    ran: list[int] = []

    def slow(payload: dict[str, Any], ctx: JobContext) -> None:
        time.sleep(0.3)
        ran.append(payload["n"])

    job = define_job("slow", slow)
    worker = bootstrap_worker(
        define_module("app", jobs=[job]), concurrency=1, time_safety_margin_seconds=1.0
    )
    event = make_sqs_event(*[job_message(job, {"n": n}) for n in range(6)])

    # 1.7 s left, 1 s margin: records may start during the first 0.7 s only.
    results = worker.process_records(event["Records"], FakeLambdaContext(timeout_seconds=1.7))

    assert 2 <= len(ran) <= 4
    assert [r.outcome for r in results[: len(ran)]] == [Outcome.SUCCEEDED] * len(ran)
    assert [r.outcome for r in results[len(ran) :]] == [Outcome.SKIPPED] * (6 - len(ran))
    assert all(r.reason == "lambda_time_running_out" for r in results[len(ran) :])
    response = worker(event, FakeLambdaContext(timeout_seconds=0.5))
    assert len(response["batchItemFailures"]) == 6  # type: ignore[typeddict-item]


def test_job_messages_keep_their_wire_format(queues: Queues) -> None:
    seen: list[JobContext] = []
    job = define_job("inspect", lambda payload, ctx: seen.append(ctx))
    worker = bootstrap_worker(define_module("app", jobs=[job]), sqs_client=queues.sqs)
    message = job_message(job, {"x": 1}, job_id="job-42", metadata={"tenant": "acme"})
    assert json.loads(message.to_json())["jobName"] == "inspect"
    message_id = queues.send(message.to_json())

    deliver(worker, queues)

    (ctx,) = seen
    assert (ctx.job_id, ctx.job_name, ctx.attempt_number) == ("job-42", "inspect", 1)
    assert ctx.message_id == message_id
    assert ctx.metadata == {"tenant": "acme"}
    assert ctx.enqueued_at == JobMessage.from_json(message.to_json()).enqueued_at
