"""Direct invocation: EventBridge or EventBridge Scheduler invokes the worker with one job.

This is how periodic jobs run. The event is ``{"jobName": ..., "payload": ...}`` (optionally with
``jobId``), either as the whole event or as an EventBridge event's ``detail``. There is no queue
to retry on: a failing job raises, so Lambda's own retries and failure destination apply.
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Callable, Coroutine, Mapping
from datetime import UTC, datetime
from time import perf_counter
from typing import Any, NotRequired, TypedDict

from glasswork.jobs.context import JobContext
from glasswork.jobs.errors import JobError
from glasswork.jobs.ignored import Ignored
from glasswork.modules import Container
from glasswork.worker.hooks import JobEvent, WorkerHooks
from glasswork.worker.logs import JobLoggerAdapter, log_outcome
from glasswork.worker.outcome import Outcome, RecordResult, milliseconds
from glasswork.worker.registry import JobRegistry

__all__ = [
    "DirectInvocation",
    "DirectInvocationResult",
    "UnsupportedEventError",
    "direct_invocation_of",
    "run_direct_invocation",
]


class UnsupportedEventError(JobError, ValueError):
    """The worker was invoked with an event that is neither an SQS batch nor a job invocation."""


class DirectInvocation(TypedDict):
    """The job a direct invocation names."""

    jobName: str
    payload: Any
    jobId: str


class DirectInvocationResult(TypedDict):
    """What the worker returns for a direct invocation that succeeded (``outcome``
    ``"succeeded"``, or ``"ignored"`` with the handler's ``reason``)."""

    jobName: str
    jobId: str
    outcome: str
    durationMs: float
    reason: NotRequired[str]


def direct_invocation_of(event: object) -> DirectInvocation | None:
    """The job named by ``event`` (top level or under ``detail``), or ``None``."""
    if not isinstance(event, Mapping):
        return None
    source: Mapping[str, Any] = event
    if "jobName" not in source and isinstance(event.get("detail"), Mapping):
        source = event["detail"]
    job_name = source.get("jobName")
    if not isinstance(job_name, str) or not job_name:
        return None
    job_id = source.get("jobId") or event.get("id") or str(uuid.uuid4())
    return {"jobName": job_name, "payload": source.get("payload", {}), "jobId": str(job_id)}


def run_direct_invocation(
    invocation: DirectInvocation,
    *,
    registry: JobRegistry,
    container: Container,
    hooks: WorkerHooks,
    run_coroutine: Callable[[Coroutine[Any, Any, Any]], Any] | None = None,
) -> DirectInvocationResult:
    """Validate and run the named job once; its errors propagate after hooks and the log line.

    ``run_coroutine`` runs an async handler to its end (default ``asyncio.run``; the worker
    passes its own loop). Raises ``UnknownJobError`` listing the known jobs,
    ``InvalidJobPayloadError`` naming the failing fields, or whatever the handler raised.
    """
    job = registry.require(invocation["jobName"])
    definition = job.definition
    job_id = invocation["jobId"]
    payload = definition.validate_payload(invocation["payload"])
    ctx = JobContext(
        services=container,
        logger=JobLoggerAdapter(
            job.logger, {"job_name": definition.name, "job_id": job_id, "attempt": 1}
        ),
        job_id=job_id,
        job_name=definition.name,
        attempt_number=1,
        enqueued_at=datetime.now(UTC),
    )
    hooks.call("on_job_start", JobEvent(job_name=definition.name, job_id=job_id, attempt_number=1))
    started = perf_counter()
    try:
        returned = definition.handler(payload, ctx)
        if returned is not None and inspect.isawaitable(returned):
            if run_coroutine is None:
                import asyncio  # only async jobs need it: kept off the worker's import path

                run_coroutine = asyncio.run
            returned = run_coroutine(_await(returned))
    except Exception as error:
        result = _result(definition.name, job_id, Outcome.FAILED, perf_counter() - started, error)
        hooks.call("on_job_failed", _event(result))
        log_outcome(result)
        raise
    duration = perf_counter() - started
    if isinstance(returned, Ignored):
        result = _result(definition.name, job_id, Outcome.IGNORED, duration, None, returned.reason)
    else:
        result = _result(definition.name, job_id, Outcome.SUCCEEDED, duration, None)
    hooks.call("on_job_complete", _event(result))
    log_outcome(result)
    response: DirectInvocationResult = {
        "jobName": definition.name,
        "jobId": job_id,
        "outcome": result.outcome.value,
        "durationMs": milliseconds(result.duration_seconds),
    }
    if result.reason is not None:
        response["reason"] = result.reason
    return response


def _result(
    job_name: str,
    job_id: str,
    outcome: Outcome,
    duration: float,
    error: Exception | None,
    reason: str | None = None,
) -> RecordResult:
    return RecordResult(
        message_id=job_id,
        outcome=outcome,
        job_name=job_name,
        job_id=job_id,
        duration_seconds=duration,
        error=error,
        reason="direct_invocation_failed" if error is not None else reason,
    )


def _event(result: RecordResult) -> JobEvent:
    return JobEvent(
        job_name=result.job_name,
        job_id=result.job_id or result.message_id,
        attempt_number=1,
        duration_seconds=result.duration_seconds,
        error=result.error,
        outcome=result.outcome.value,
        reason=result.reason,
    )


async def _await(awaitable: Any) -> Any:
    return await awaitable
