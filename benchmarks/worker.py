"""Worker benchmarks: figures and ratios from one run, not timed tests.

Run: ``.venv/bin/python benchmarks/worker.py [--quick]``

1. Concurrency: a batch of 10 records whose job waits 50 ms on I/O, through the worker at its
   default concurrency, against the same records one after another (the worker at
   ``concurrency=1``; Glasswork 1.0.1 measured 504 ms). Target: at least 7x faster.
2. Overhead: a no-op job with a 3-field pydantic schema, a batch of 10, in process: the worker
   against AWS Lambda Powertools' ``BatchProcessor`` with a pydantic model on the same event,
   measured in alternating rounds so both see the same machine load. Target: at most 1.5x.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Json

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import define_job
from glasswork.modules import define_module
from glasswork.testing.events import FakeLambdaContext, job_message, make_sqs_event
from glasswork.worker import Worker, bootstrap_worker

GLASSWORK_TS_IO_BATCH_MS = 504.0
"""Glasswork 1.0.1, 10 records of a job waiting 50 ms (records run one after another)."""

GLASSWORK_TS_NOOP_BATCH_US = 30.0
"""Glasswork 1.0.1, 10 no-op records in process, per invocation (Node 20)."""


class Payload(BaseModel):
    """The 3-field payload of the benchmark jobs."""

    user_id: str
    count: int
    active: bool


def noop(payload: Payload, ctx: JobContext) -> None:
    """A job that does nothing."""


async def noop_async(payload: Payload, ctx: JobContext) -> None:
    """An async job that does nothing."""


def wait_50ms(payload: Payload, ctx: JobContext) -> None:
    """A job that waits 50 ms on (simulated) I/O, in a thread."""
    time.sleep(0.05)


async def wait_50ms_async(payload: Payload, ctx: JobContext) -> None:
    """A job that waits 50 ms on (simulated) I/O, on the event loop."""
    await asyncio.sleep(0.05)


JOBS = {
    "noop": define_job("noop", noop, schema=Payload),
    "noop-async": define_job("noop-async", noop_async, schema=Payload),
    "wait": define_job("wait", wait_50ms, schema=Payload),
    "wait-async": define_job("wait-async", wait_50ms_async, schema=Payload),
}
APP = define_module("benchmark", jobs=list(JOBS.values()))


def event_for(job_name: str) -> dict[str, Any]:
    """A Lambda SQS event of 10 records of ``job_name``."""
    job = JOBS[job_name]
    messages = [
        job_message(job, {"user_id": f"user-{i}", "count": i, "active": True}) for i in range(10)
    ]
    return dict(make_sqs_event(*messages))


def median_seconds(call: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``repeats`` calls, in seconds."""
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def benchmark_concurrency(repeats: int) -> None:
    """Benchmark 1: 10 records x 50 ms of I/O, concurrent vs one after another."""
    print("1. Batch of 10 records, each job waits 50 ms on I/O (median of", repeats, "runs)")
    concurrent = bootstrap_worker(APP)
    sequential = bootstrap_worker(APP, concurrency=1)
    for job_name, label in (("wait", "sync handler (threads)"), ("wait-async", "async handler")):
        _concurrency_row(label, event_for(job_name), concurrent, sequential, repeats)
    concurrent.close()
    sequential.close()


def _concurrency_row(
    label: str, event: dict[str, Any], concurrent: Worker, sequential: Worker, repeats: int
) -> None:
    fresh_ms = median_seconds(lambda: bootstrap_worker(APP)(event, FakeLambdaContext()), 1) * 1000
    ours = median_seconds(lambda: concurrent(event, FakeLambdaContext()), repeats) * 1000
    one_by_one = median_seconds(lambda: sequential(event, FakeLambdaContext()), repeats) * 1000
    print(
        f"   {label:24s} ours {ours:6.1f} ms (first batch of a fresh worker {fresh_ms:.1f} ms); "
        f"one after another {one_by_one:6.1f} ms  ->  {one_by_one / ours:4.1f}x faster; "
        f"vs Glasswork 1.0.1's {GLASSWORK_TS_IO_BATCH_MS:.0f} ms: "
        f"{GLASSWORK_TS_IO_BATCH_MS / ours:4.1f}x  [target >= 7x]"
    )


def powertools_handler() -> tuple[Callable[[dict[str, Any]], object], str]:
    """Powertools' ``BatchProcessor`` with a pydantic model of the same message."""
    from aws_lambda_powertools.utilities.batch import (
        BatchProcessor,
        EventType,
        process_partial_response,
    )
    from aws_lambda_powertools.utilities.parser.models import SqsRecordModel

    class Message(BaseModel):
        jobName: str
        payload: Payload
        jobId: str
        enqueuedAt: str

    class Record(SqsRecordModel):
        body: Json[Message]

    processor = BatchProcessor(event_type=EventType.SQS, model=Record)

    def record_handler(record: Record) -> None:
        noop(record.body.payload, None)  # type: ignore[arg-type]

    context: Any = FakeLambdaContext()

    def handler(event: dict[str, Any]) -> object:
        return process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )

    from importlib.metadata import version

    return handler, version("aws-lambda-powertools")


def per_batch_microseconds(call: Callable[[], object], batches: int) -> float:
    """Mean time of one call over ``batches`` calls, in microseconds."""
    started = time.perf_counter()
    for _ in range(batches):
        call()
    return (time.perf_counter() - started) / batches * 1e6


def benchmark_overhead(rounds: int, batches: int) -> None:
    """Benchmark 2: per-batch overhead of a no-op job, ours vs Powertools."""
    print(
        f"2. No-op job, 3-field pydantic schema, batch of 10, in process "
        f"({rounds} alternating rounds of {batches} batches; medians)"
    )
    powertools, powertools_version = powertools_handler()
    event = event_for("noop")
    async_event = event_for("noop-async")
    context = FakeLambdaContext()
    worker = bootstrap_worker(APP)
    contenders: dict[str, Callable[[], object]] = {
        "powertools": lambda: powertools(event),
        "ours": lambda: worker(event, context),
        "ours-async": lambda: worker(async_event, context),
    }
    for call in contenders.values():
        for _ in range(200):
            call()
    figures: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, call in contenders.items():
            figures[name].append(per_batch_microseconds(call, batches))
    base = statistics.median(figures["powertools"])
    ratios = [o / p for o, p in zip(figures["ours"], figures["powertools"], strict=True)]
    async_ratios = [
        o / p for o, p in zip(figures["ours-async"], figures["powertools"], strict=True)
    ]
    print(f"   Powertools {powertools_version} BatchProcessor   {base:7.1f} µs per batch")
    print(
        f"   ours, sync handler                {statistics.median(figures['ours']):7.1f} µs "
        f"per batch  ->  {statistics.median(ratios):.2f}x Powertools  [target <= 1.5x]"
    )
    print(
        f"   ours, async handler               {statistics.median(figures['ours-async']):7.1f} µs "
        f"per batch  ->  {statistics.median(async_ratios):.2f}x Powertools (for information)"
    )
    print(f"   (Glasswork 1.0.1 on Node 20: {GLASSWORK_TS_NOOP_BATCH_US:.0f} µs per batch)")

    outcome_logger = logging.getLogger("glasswork.worker")
    sink = logging.FileHandler(os.devnull)
    sink.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    outcome_logger.addHandler(sink)
    outcome_logger.setLevel(logging.INFO)
    try:
        with_logs = statistics.median(
            per_batch_microseconds(contenders["ours"], batches) for _ in range(3)
        )
    finally:
        outcome_logger.removeHandler(sink)
        outcome_logger.setLevel(logging.NOTSET)
        sink.close()
    print(
        f"   ours with INFO outcome lines formatted and written: {with_logs:7.1f} µs per batch "
        f"({with_logs / base:.2f}x; Powertools logs nothing per record)"
    )
    worker.close()


def main() -> None:
    """Run both benchmarks and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, for a smoke run")
    options = parser.parse_args()
    benchmark_concurrency(repeats=3 if options.quick else 7)
    benchmark_overhead(rounds=3 if options.quick else 9, batches=300 if options.quick else 2000)


if __name__ == "__main__":
    main()
