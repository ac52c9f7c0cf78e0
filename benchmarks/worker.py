"""Worker benchmarks: figures and ratios from one run, not timed tests.

Run: ``.venv/bin/python benchmarks/worker.py [--quick]``

1. Concurrency: a batch of 10 records whose job waits 50 ms on I/O, through the worker at its
   default concurrency, against the same records one after another (the worker at
   ``concurrency=1``, in the same run). Target: at least 7x faster.
2. Overhead: a no-op job with a 3-field pydantic schema, batches of 10, in process: the worker
   (sync and async handlers) against baselines run in the same process, in alternating
   rounds so all see the same machine load: a bare loop that validates each body with one
   pydantic ``model_validate_json``, AWS Lambda Powertools' ``BatchProcessor`` used leanly (raw
   record, one ``model_validate_json``), and Powertools with its record model. The async
   handler is also measured against the same two baselines running it: the bare loop awaiting
   it in one ``run_until_complete`` per batch on a kept event loop (the least any runner of a
   coroutine pays), and Powertools' ``AsyncBatchProcessor`` used leanly, as it runs in Lambda.
   Targets: at most 1.3x Powertools lean and 2.5x the bare loop (the sync handler against the
   sync baselines, the async handler against the async ones; its ratios to the sync baselines
   are printed too); with INFO outcome lines written (a file handler on /dev/null, measured
   right after ours without them in each round), at most 1.5x ours without. Rounds are short
   (600 batches per contender), as this machine's speed can change by 2x within seconds.
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
        f"one after another {one_by_one:6.1f} ms  ->  {one_by_one / ours:4.1f}x faster  "
        "[target >= 7x]"
    )


class Message(BaseModel):
    """The job message as a bare loop or a Powertools handler would model it."""

    jobName: str
    payload: Payload
    jobId: str
    enqueuedAt: str


def bare_loop() -> Callable[[dict[str, Any]], object]:
    """Baseline: a loop that validates each body with one ``model_validate_json`` and calls."""

    def handler(event: dict[str, Any]) -> object:
        failures: list[dict[str, str]] = []
        for record in event["Records"]:
            try:
                noop(Message.model_validate_json(record["body"]).payload, None)  # type: ignore[arg-type]
            except Exception:
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}

    return handler


def bare_async_loop() -> Callable[[dict[str, Any]], object]:
    """Baseline: the bare loop awaiting the async job, one ``run_until_complete`` per batch on
    an event loop kept across batches."""
    loop = asyncio.new_event_loop()

    async def run(event: dict[str, Any]) -> object:
        failures: list[dict[str, str]] = []
        for record in event["Records"]:
            try:
                payload = Message.model_validate_json(record["body"]).payload
                await noop_async(payload, None)  # type: ignore[arg-type]
            except Exception:
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}

    return lambda event: loop.run_until_complete(run(event))


def powertools_handlers() -> tuple[dict[str, Callable[[dict[str, Any]], object]], str]:
    """Powertools' ``BatchProcessor`` used leanly (raw record, one ``model_validate_json``)
    and with its record model (``SqsRecordModel`` with a ``Json`` body)."""
    from aws_lambda_powertools.utilities.batch import (
        AsyncBatchProcessor,
        BatchProcessor,
        EventType,
        async_process_partial_response,
        process_partial_response,
    )
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
    from aws_lambda_powertools.utilities.parser.models import SqsRecordModel

    class Record(SqsRecordModel):
        body: Json[Message]  # type: ignore[assignment, unused-ignore]

    lean_processor = BatchProcessor(event_type=EventType.SQS)
    model_processor = BatchProcessor(event_type=EventType.SQS, model=Record)
    async_processor = AsyncBatchProcessor(event_type=EventType.SQS)

    def lean_record(record: SQSRecord) -> None:
        noop(Message.model_validate_json(record.body).payload, None)  # type: ignore[arg-type]

    def model_record(record: Record) -> None:
        noop(record.body.payload, None)  # type: ignore[arg-type]

    async def async_lean_record(record: SQSRecord) -> None:
        await noop_async(Message.model_validate_json(record.body).payload, None)  # type: ignore[arg-type]

    context: Any = FakeLambdaContext()

    def lean(event: dict[str, Any]) -> object:
        return process_partial_response(
            event=event, record_handler=lean_record, processor=lean_processor, context=context
        )

    def with_model(event: dict[str, Any]) -> object:
        return process_partial_response(
            event=event, record_handler=model_record, processor=model_processor, context=context
        )

    def async_lean(event: dict[str, Any]) -> object:
        return async_process_partial_response(
            event=event,
            record_handler=async_lean_record,
            processor=async_processor,
            context=context,
        )

    from importlib.metadata import version

    handlers: dict[str, Callable[[dict[str, Any]], object]] = {
        "powertools-lean": lean,
        "powertools-model": with_model,
    }
    handlers["powertools-async-lean"] = async_lean
    return handlers, version("aws-lambda-powertools")


def per_batch_microseconds(call: Callable[[], object], batches: int) -> float:
    """Mean time of one call over ``batches`` calls, in microseconds."""
    started = time.perf_counter()
    for _ in range(batches):
        call()
    return (time.perf_counter() - started) / batches * 1e6


def benchmark_overhead(rounds: int, batches: int) -> None:
    """Benchmark 2: per-record cost of a no-op job, ours against three baselines, same run."""
    print(
        f"2. No-op job, 3-field pydantic schema, batches of 10, in process ({rounds} alternating "
        f"rounds of {batches} batches; medians of per-round ratios)"
    )
    powertools, powertools_version = powertools_handlers()
    event = event_for("noop")
    async_event = event_for("noop-async")
    context = FakeLambdaContext()
    worker = bootstrap_worker(APP)
    bare = bare_loop()
    bare_async = bare_async_loop()
    # Powertools' AsyncBatchProcessor keeps one event loop across invocations only in Lambda
    # (where LAMBDA_TASK_ROOT is set); elsewhere it makes a new loop per batch (asyncio.run).
    os.environ.setdefault("LAMBDA_TASK_ROOT", str(os.getcwd()))
    outcome_logger = logging.getLogger("glasswork.worker")
    sink = logging.FileHandler(os.devnull)
    sink.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))

    contenders: dict[str, Callable[[], object]] = {
        "bare": lambda: bare(event),
        "powertools-lean": lambda: powertools["powertools-lean"](event),
        "powertools-model": lambda: powertools["powertools-model"](event),
        "ours": lambda: worker(event, context),
        "bare-async": lambda: bare_async(async_event),
        "powertools-async-lean": lambda: powertools["powertools-async-lean"](async_event),
        "ours-async": lambda: worker(async_event, context),
    }
    for call in contenders.values():
        for _ in range(300):
            call()
    figures: dict[str, list[float]] = {name: [] for name in [*contenders, "ours-logged"]}
    for _ in range(rounds):
        for name, call in contenders.items():
            figures[name].append(per_batch_microseconds(call, batches))
            if name == "ours":
                # Right after the same worker without them, so both see the same machine speed.
                outcome_logger.addHandler(sink)
                outcome_logger.setLevel(logging.INFO)
                figures["ours-logged"].append(per_batch_microseconds(call, batches))
                outcome_logger.removeHandler(sink)
                outcome_logger.setLevel(logging.NOTSET)
    sink.close()

    def ratio(name: str, base: str) -> float:
        return statistics.median(a / b for a, b in zip(figures[name], figures[base], strict=True))

    def per_record(name: str) -> float:
        return statistics.median(figures[name]) / 10

    print(f"   bare pydantic loop                     {per_record('bare'):6.2f} µs per record")
    print(
        f"   Powertools {powertools_version} BatchProcessor, lean   "
        f"{per_record('powertools-lean'):6.2f} µs per record"
    )
    print(
        f"   Powertools {powertools_version} with its record model  "
        f"{per_record('powertools-model'):6.2f} µs per record"
    )
    print(
        f"   ours, sync handler                     {per_record('ours'):6.2f} µs per record  ->  "
        f"{ratio('ours', 'powertools-lean'):.2f}x Powertools lean [target <= 1.3x], "
        f"{ratio('ours', 'bare'):.2f}x bare loop [target <= 2.5x], "
        f"{ratio('ours', 'powertools-model'):.2f}x Powertools with model"
    )
    print(
        f"   bare loop awaiting the async job       {per_record('bare-async'):6.2f} µs per record"
    )
    print(
        f"   Powertools AsyncBatchProcessor, lean   "
        f"{per_record('powertools-async-lean'):6.2f} µs per record"
    )
    print(
        f"   ours, async handler                    {per_record('ours-async'):6.2f} µs per record"
        "  ->  "
        f"{ratio('ours-async', 'powertools-async-lean'):.2f}x Powertools async lean "
        "[target <= 1.3x], "
        f"{ratio('ours-async', 'bare-async'):.2f}x bare async loop [target <= 2.5x]; "
        "against the sync baselines "
        f"{ratio('ours-async', 'powertools-lean'):.2f}x Powertools lean, "
        f"{ratio('ours-async', 'bare'):.2f}x bare loop"
    )
    print(
        f"   ours with INFO outcome lines written   {per_record('ours-logged'):6.2f} µs per record"
        f"  ->  {ratio('ours-logged', 'ours'):.2f}x ours without [target <= 1.5x]"
    )
    worker.close()


def main() -> None:
    """Run both benchmarks and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, for a smoke run")
    options = parser.parse_args()
    load_at_start = os.getloadavg()[0]
    benchmark_concurrency(repeats=3 if options.quick else 7)
    benchmark_overhead(rounds=3 if options.quick else 27, batches=300 if options.quick else 600)
    print(
        f"machine: {os.cpu_count()} cores, load {load_at_start:.2f} at the start, "
        f"{os.getloadavg()[0]:.2f} at the end"
    )


if __name__ == "__main__":
    main()
