"""Batches of quick jobs: each record read, run and finished in one loop, in the calling thread.

A job whose handler lately took so little that a whole batch of it fits in
``INLINE_BATCH_BUDGET_SECONDS`` costs less than handing its records to threads, and less than
the general route's steps: here each record is read (``job.read_body``, one pydantic pass),
its ``JobContext`` built, its handler called and its ``RecordResult`` made, in that order, with
what is the same for the whole batch (the container, the outcome line writer) read once.

Only batches the route runs ``plain`` (no start or completion hook, no metrics, no tracing) on a
standard queue, of bodies as ``JobService`` writes them, come here (``quick_jobs`` says which).
A record that is not a plain success — a body the job's model refuses, a handler that raised
or returned a value — is finished by the route (``RecordRoute.run``/``finish``) in its turn, so
its outcome is exactly the general way's.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from time import perf_counter

from glasswork.jobs.context import JobContext
from glasswork.jobs.message import JobMessage
from glasswork.worker.events import SQSRecord
from glasswork.worker.logs import succeeded_line_writer
from glasswork.worker.outcome import Outcome, RecordResult
from glasswork.worker.parsing import JOB_NAME_FIRST, Delivery, attempt_number_of
from glasswork.worker.registry import JobRegistry, RegisteredJob
from glasswork.worker.route import SKIPPED_FOR_TIME, RecordRoute, awaited

__all__ = ["INLINE_BATCH_BUDGET_SECONDS", "quick_jobs", "run_quick", "run_quick_async"]

INLINE_BATCH_BUDGET_SECONDS = 0.001
"""A batch whose handlers lately took less than this in all, in seconds, runs in the calling
thread (a hand-off to a pool thread costs about 20 µs per record)."""


def quick_jobs(
    records: Sequence[SQSRecord], registry: JobRegistry
) -> tuple[list[RegisteredJob], bool] | None:
    """The job of each record, and whether any is async, when every body is as ``JobService``
    writes it and names a job read in one pass whose handler lately took so little that the
    batch's total is under ``INLINE_BATCH_BUDGET_SECONDS``; else ``None`` (the general way)."""
    by_name = registry.by_name
    jobs: list[RegisteredJob] = []
    total = 0.0
    any_async = False
    # Most batches hold one job: a body that starts as the last one's names the same job.
    named = ""
    job: RegisteredJob | None = None
    for record in records:
        body = record["body"]
        if job is None or not body.startswith(named):
            if not body.startswith(JOB_NAME_FIRST):
                return None
            end = body.find('"', 12)
            job = by_name.get(body[12:end])
            if job is None or job.read_body is None:
                return None
            named = body[: end + 1]
            any_async = any_async or job.is_async
        estimate = job.duration_estimate_seconds
        if estimate is None:
            return None
        total += estimate
        jobs.append(job)
    return (jobs, any_async) if total < INLINE_BATCH_BUDGET_SECONDS else None


def run_quick(
    route: RecordRoute, records: Sequence[SQSRecord], jobs: Sequence[RegisteredJob], deadline: float
) -> list[RecordResult]:
    """Read and run ``records`` one after another in the calling thread: a batch of quick
    sync jobs whose bodies name ``jobs`` (one per record, as ``quick_jobs`` gives them).

    A record is not started after ``deadline`` (a ``perf_counter`` time). A record that
    is not a plain success (poison, an error, a value returned) is finished by ``route``
    as its ``run`` finishes it, in turn.
    """
    container = route.container
    log_success = succeeded_line_writer()
    succeeded = Outcome.SUCCEEDED
    results: list[RecordResult] = []
    append = results.append
    for record, job in zip(records, jobs, strict=True):
        if perf_counter() > deadline:
            append(route.skip(route.read(record), SKIPPED_FOR_TIME))
            continue
        try:
            try:
                read_body = job.read_body
                assert read_body is not None, "a quick job reads its bodies in one pass"
                message = read_body(record["body"])
                count = record["attributes"].get("ApproximateReceiveCount", "1")
                attempt = 1 if count == "1" else max(1, int(count))
            except Exception:
                append(route.run(route.read(record)))  # the general way says why
                continue
            message_id = record["messageId"]
            ctx = JobContext(
                container,
                job.logger,
                message.job_id,
                message.job_name,
                attempt,
                message.enqueued_at,
                message_id,
                message.metadata,
            )
            started = perf_counter()
            try:
                returned = job.handler(message.payload, ctx)
                if returned is not None and inspect.isawaitable(returned):
                    import asyncio  # only async jobs need it: kept off the import path

                    returned = asyncio.run(awaited(returned))
            except Exception as error:
                duration = perf_counter() - started
                job.record_duration(duration)
                append(_finished(route, record, job, message, attempt, duration, error, None))
                continue
            duration = perf_counter() - started
            job.record_duration(duration)
            if returned is None:
                result = RecordResult(
                    message_id, succeeded, job.definition.name, message.job_id, attempt, duration
                )
                if log_success is not None:
                    log_success(result)
                append(result)
            else:
                append(_finished(route, record, job, message, attempt, duration, None, returned))
        except Exception as internal:
            append(route.internal_failure(Delivery(record, attempt_number_of(record)), internal))
    return results


async def run_quick_async(
    route: RecordRoute, records: Sequence[SQSRecord], jobs: Sequence[RegisteredJob], deadline: float
) -> list[RecordResult]:
    """``run_quick`` on the running event loop, for a batch of quick jobs with async ones
    among them: async handlers are awaited, sync ones called on the loop itself.

    The same steps as ``run_quick``, written out again because of the ``await``: a helper per
    step would add a function call to every record of the hot path."""
    container = route.container
    log_success = succeeded_line_writer()
    succeeded = Outcome.SUCCEEDED
    results: list[RecordResult] = []
    append = results.append
    for record, job in zip(records, jobs, strict=True):
        if perf_counter() > deadline:
            append(route.skip(route.read(record), SKIPPED_FOR_TIME))
            continue
        try:
            try:
                read_body = job.read_body
                assert read_body is not None, "a quick job reads its bodies in one pass"
                message = read_body(record["body"])
                count = record["attributes"].get("ApproximateReceiveCount", "1")
                attempt = 1 if count == "1" else max(1, int(count))
            except Exception:
                append(await route.run_async(route.read(record), None))
                continue
            message_id = record["messageId"]
            ctx = JobContext(
                container,
                job.logger,
                message.job_id,
                message.job_name,
                attempt,
                message.enqueued_at,
                message_id,
                message.metadata,
            )
            started = perf_counter()
            try:
                if job.is_async:
                    returned = await job.handler(message.payload, ctx)
                else:
                    returned = job.handler(message.payload, ctx)
                    if returned is not None and inspect.isawaitable(returned):
                        returned = await returned
            except Exception as error:
                duration = perf_counter() - started
                job.record_duration(duration)
                append(_finished(route, record, job, message, attempt, duration, error, None))
                continue
            duration = perf_counter() - started
            job.record_duration(duration)
            if returned is None:
                result = RecordResult(
                    message_id, succeeded, job.definition.name, message.job_id, attempt, duration
                )
                if log_success is not None:
                    log_success(result)
                append(result)
            else:
                append(_finished(route, record, job, message, attempt, duration, None, returned))
        except Exception as internal:
            append(route.internal_failure(Delivery(record, attempt_number_of(record)), internal))
    return results


def _finished(
    route: RecordRoute,
    record: SQSRecord,
    job: RegisteredJob,
    message: JobMessage,
    attempt: int,
    duration: float,
    error: Exception | None,
    returned: object,
) -> RecordResult:
    """A record whose handler raised ``error`` or returned ``returned``, finished by the
    route as any other record (settled, hooks, line)."""
    delivery = Delivery(record, attempt, job, message, message.payload)
    return route.finish(delivery, error, duration, True, returned=returned)
