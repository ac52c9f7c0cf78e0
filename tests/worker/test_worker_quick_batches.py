"""Batches of quick jobs: read and run in one loop, with the same outcomes as the general way.

Once a job's handler has run and was quick, the worker reads and runs a batch of it record by
record in the calling thread (``RecordRoute.run_quick``). Every outcome must stay what the
general route gives: poison dead-lettered, failures retried, ``Ignored`` reported, the attempt
number read from the record.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from pydantic import BaseModel
from worker_support import Queues, deliver

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import define_job
from glasswork.jobs.errors import TransientJobError
from glasswork.jobs.ignored import Ignored
from glasswork.modules import define_module
from glasswork.testing.events import (
    FakeLambdaContext,
    job_message,
    make_sqs_event,
    make_sqs_record,
)
from glasswork.worker import Outcome, WorkerHooks, bootstrap_worker


class Step(BaseModel):
    """What each record asks its handler to do."""

    n: int
    action: str = "succeed"


def _act(payload: Step) -> Ignored | None:
    if payload.action == "fail":
        raise TransientJobError("upstream busy", retry_after=60)
    if payload.action == "ignore":
        return Ignored("nothing_to_do")
    return None


def _body(job_name: str, payload: dict[str, Any]) -> str:
    return (
        f'{{"jobName":"{job_name}","payload":{json.dumps(payload)},'
        '"jobId":"j-1","enqueuedAt":"2026-12-01T10:00:00Z","metadata":{}}'
    )


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_quick_batch_keeps_every_outcome_of_the_general_way(queues: Queues, kind: str) -> None:
    threads: list[int] = []

    def step(payload: Step, ctx: JobContext) -> Ignored | None:
        threads.append(threading.get_ident())
        return _act(payload)

    async def step_async(payload: Step, ctx: JobContext) -> Ignored | None:
        threads.append(threading.get_ident())
        return _act(payload)

    job = define_job("step", step if kind == "sync" else step_async, schema=Step)
    worker = bootstrap_worker(define_module("app", jobs=[job]), sqs_client=queues.sqs)
    # The first batch runs the general way and tells the worker the job is quick.
    queues.send(job_message(job, Step(n=0)).to_json())
    assert deliver(worker, queues)[0] == {"batchItemFailures": []}
    estimate = worker.registry.by_name["step"].duration_estimate_seconds
    assert estimate is not None and estimate < 0.0001
    threads.clear()

    poison = _body("step", {"n": "not a number"})
    sent = {
        "ok": queues.send(job_message(job, Step(n=1)).to_json()),
        "poison": queues.send(poison),
        "fail": queues.send(job_message(job, Step(n=2, action="fail")).to_json()),
        "ignore": queues.send(job_message(job, Step(n=3, action="ignore")).to_json()),
    }
    records = queues.receive(wait_seconds=1)
    while len(records) < len(sent):
        records += queues.receive(wait_seconds=1)
    results = worker.process_records(records, FakeLambdaContext())

    outcomes = {
        name: results[[r["messageId"] for r in records].index(m)] for name, m in sent.items()
    }
    assert outcomes["ok"].outcome is Outcome.SUCCEEDED
    assert outcomes["poison"].outcome is Outcome.DEAD_LETTERED
    assert outcomes["poison"].reason == "invalid_payload"
    assert outcomes["fail"].outcome is Outcome.RETRY_SCHEDULED
    assert outcomes["fail"].retry_in_seconds == 60
    assert outcomes["ignore"].outcome is Outcome.IGNORED
    assert outcomes["ignore"].reason == "nothing_to_do"
    assert all(r.job_name == "step" for r in results)
    # Quick: every handler ran in the calling thread, none handed to the pool.
    assert threads == [threading.get_ident()] * 3
    dead = queues.dead_letters()
    assert [m["Body"] for m in dead] == [poison]


def test_a_quick_batch_reads_the_attempt_number_and_the_context_of_each_record() -> None:
    seen: list[JobContext] = []
    job = define_job("note", lambda p, ctx: seen.append(ctx), schema=Step)
    worker = bootstrap_worker(define_module("app", jobs=[job]))
    worker.process_records([make_sqs_record(job_message(job, Step(n=0)))])
    seen.clear()

    records = [
        make_sqs_record(job_message(job, Step(n=1)), receive_count=1, message_id="m-1"),
        make_sqs_record(job_message(job, Step(n=2)), receive_count=3, message_id="m-3"),
    ]
    results = worker.process_records(records, FakeLambdaContext())

    assert [r.outcome for r in results] == [Outcome.SUCCEEDED] * 2
    assert [r.attempt_number for r in results] == [1, 3]
    assert [(c.message_id, c.attempt_number, c.job_name) for c in seen] == [
        ("m-1", 1, "note"),
        ("m-3", 3, "note"),
    ]
    assert seen[1].logger.extra == {"job_name": "note", "job_id": seen[1].job_id, "attempt": 3}


def test_a_quick_batch_with_no_time_left_starts_nothing_and_names_each_job() -> None:
    ran: list[int] = []
    job = define_job("count", lambda p, ctx: ran.append(p.n), schema=Step)
    worker = bootstrap_worker(define_module("app", jobs=[job]))
    worker.process_records([make_sqs_record(job_message(job, Step(n=0)))])
    ran.clear()

    event = make_sqs_event(*[job_message(job, Step(n=n)) for n in range(3)])
    results = worker.process_records(event["Records"], FakeLambdaContext(timeout_seconds=1.0))

    assert ran == []
    assert [(r.outcome, r.reason, r.job_name) for r in results] == [
        (Outcome.SKIPPED, "lambda_time_running_out", "count")
    ] * 3


def test_hooks_take_the_general_way_and_see_every_quick_record() -> None:
    started: list[str] = []
    job = define_job("hooked", lambda p, ctx: None, schema=Step)
    worker = bootstrap_worker(
        define_module("app", jobs=[job]),
        hooks=WorkerHooks(on_job_start=lambda event: started.append(event.job_id)),
    )
    messages = [job_message(job, Step(n=n)) for n in range(3)]
    worker.process_records([make_sqs_record(messages[0])])

    worker(make_sqs_event(*messages), FakeLambdaContext())

    assert started == [messages[0].job_id] + [m.job_id for m in messages]
