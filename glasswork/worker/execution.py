"""One record from start to end: parse it, build its context, run its handler, report success.

``RecordExecutor.run`` (threads) and ``RecordExecutor.run_async`` (event loop) share every step
but the call of the handler; neither ever raises for a record: a failure of the worker itself
leaves the record on the queue (``Outcome.FAILED``), so nothing is lost. What follows a failed
attempt or a poison message (retry, dead-letter, discard) is ``settlement.FailureSettlement``'s.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from time import perf_counter
from typing import Any

from glasswork.jobs.context import JobContext
from glasswork.modules import Container
from glasswork.worker.actions import QueueActions
from glasswork.worker.events import SQSRecord
from glasswork.worker.hooks import JobEvent, WorkerHooks
from glasswork.worker.logs import JobLoggerAdapter, log_outcome
from glasswork.worker.outcome import Outcome, RecordResult
from glasswork.worker.parsing import ParsedJob, PoisonMessageError, attempt_number_of
from glasswork.worker.settlement import POISON_MESSAGE_POLICY, FailureSettlement, hook_event

__all__ = [
    "INLINE_SYNC_HANDLER_SECONDS",
    "PreparedRecord",
    "RecordExecutor",
    "prepare_record",
]

logger = logging.getLogger(__name__)

INLINE_SYNC_HANDLER_SECONDS = 0.0001
"""A sync handler in a batch on the event loop is called on the loop itself, not handed to a
thread, when it lately took less than this, in seconds."""


@dataclass(slots=True)
class PreparedRecord:
    """A record parsed before the batch runs: its job, or why it is poison.

    Parameters:
        record: the SQS record.
        attempt_number: its ``ApproximateReceiveCount``.
        parsed: the job and validated payload (``None`` for a poison message).
        poison: why it is poison (``None`` for a runnable job).
    """

    record: SQSRecord
    attempt_number: int
    parsed: ParsedJob | None = None
    poison: PoisonMessageError | None = None

    @property
    def runs_async(self) -> bool:
        """Whether the job's handler is a coroutine function."""
        return self.parsed is not None and self.parsed.job.definition.is_async

    @property
    def estimated_seconds(self) -> float | None:
        """How long the handler took lately (``None``: unknown, or a poison message)."""
        return None if self.parsed is None else self.parsed.job.duration_estimate_seconds


class RecordExecutor:
    """Runs single records: hooks, handler, success, log line; failures go to ``FailureSettlement``.

    Parameters:
        container: the application's container (``ctx.services``).
        hooks: the lifecycle hooks.
        actions: the queue operations for retries and dead-lettering.
    """

    def __init__(self, container: Container, hooks: WorkerHooks, actions: QueueActions) -> None:
        self.container = container
        self.hooks = hooks
        self.actions = actions
        self.settlement = FailureSettlement(hooks, actions)

    # Running ---------------------------------------------------------------------------

    def run(self, prepared: PreparedRecord) -> RecordResult:
        """Run one record in the calling thread (sync handlers only)."""
        try:
            if prepared.parsed is None:
                return self._settle_failure(prepared, None, 0.0, handler_ran=False)
            parsed = prepared.parsed
            ctx = self._context(prepared, parsed)
            if self.hooks.on_job_start is not None:
                self.hooks.call("on_job_start", self._start_event(prepared, parsed))
            started = perf_counter()
            error: Exception | None = None
            try:
                result = parsed.job.definition.handler(parsed.payload, ctx)
                if result is not None and inspect.isawaitable(result):
                    import asyncio  # only async jobs need it: kept off the import path

                    asyncio.run(_await(result))
            except Exception as raised:
                error = raised
            duration = perf_counter() - started
            parsed.job.record_duration(duration)
            if error is None:
                return self._succeed(prepared, parsed, duration)
            return self._settle_failure(prepared, error, duration, handler_ran=True)
        except Exception as internal:
            return self._internal_failure(prepared, internal)

    async def run_async(self, prepared: PreparedRecord, pool: Executor) -> RecordResult:
        """Run one record on the running event loop; blocking steps go to ``pool``."""
        import asyncio

        loop = asyncio.get_running_loop()
        try:
            if prepared.parsed is None:
                return await loop.run_in_executor(
                    pool, self._settle_failure, prepared, None, 0.0, False
                )
            parsed = prepared.parsed
            definition = parsed.job.definition
            ctx = self._context(prepared, parsed)
            if self.hooks.on_job_start is not None:
                await self.hooks.call_async("on_job_start", self._start_event(prepared, parsed))
            started = perf_counter()
            error: Exception | None = None
            try:
                estimate = parsed.job.duration_estimate_seconds
                if definition.is_async:
                    await definition.handler(parsed.payload, ctx)  # type: ignore[misc]
                else:
                    if estimate is not None and estimate < INLINE_SYNC_HANDLER_SECONDS:
                        result = definition.handler(parsed.payload, ctx)
                    else:
                        result = await loop.run_in_executor(
                            pool, definition.handler, parsed.payload, ctx
                        )
                    if result is not None and inspect.isawaitable(result):
                        await result
            except Exception as raised:
                error = raised
            duration = perf_counter() - started
            parsed.job.record_duration(duration)
            if error is None:
                result_ = self._success_result(prepared, parsed, duration)
                if self.hooks.on_job_complete is not None:
                    await self.hooks.call_async("on_job_complete", hook_event(result_))
                log_outcome(result_)
                return result_
            return await loop.run_in_executor(
                pool, self._settle_failure, prepared, error, duration, True
            )
        except Exception as internal:
            return self._internal_failure(prepared, internal)

    def skip(self, prepared: PreparedRecord, reason: str) -> RecordResult:
        """Report a record failed without running it (time running out, FIFO group blocked)."""
        result = _result_of(prepared, Outcome.SKIPPED, reason=reason)
        log_outcome(result)
        return result

    # Steps --------------------------------------------------------------------------------

    def _context(self, prepared: PreparedRecord, parsed: ParsedJob) -> JobContext:
        message = parsed.message
        job_id = message.job_id
        job_name = message.job_name
        # Positional: this runs once per record and keywords cost measurably more.
        return JobContext(
            self.container,
            JobLoggerAdapter(parsed.job.logger, {"job_id": job_id, "job_name": job_name}),
            job_id,
            job_name,
            prepared.attempt_number,
            message.enqueued_at,
            prepared.record["messageId"],
            message.metadata,
        )

    def _start_event(self, prepared: PreparedRecord, parsed: ParsedJob) -> JobEvent:
        return JobEvent(
            job_name=parsed.message.job_name,
            job_id=parsed.message.job_id,
            attempt_number=prepared.attempt_number,
            message_id=prepared.record["messageId"],
        )

    def _success_result(
        self, prepared: PreparedRecord, parsed: ParsedJob, duration: float
    ) -> RecordResult:
        message = parsed.message
        return RecordResult(
            prepared.record["messageId"],
            Outcome.SUCCEEDED,
            message.job_name,
            message.job_id,
            prepared.attempt_number,
            duration,
        )

    def _succeed(
        self, prepared: PreparedRecord, parsed: ParsedJob, duration: float
    ) -> RecordResult:
        result = self._success_result(prepared, parsed, duration)
        if self.hooks.on_job_complete is not None:
            self.hooks.call("on_job_complete", hook_event(result))
        log_outcome(result)
        return result

    def _settle_failure(
        self,
        prepared: PreparedRecord,
        error: Exception | None,
        duration: float,
        handler_ran: bool,
    ) -> RecordResult:
        """Settle a failed attempt or a poison message (retry, dead-letter or discard)."""
        if prepared.parsed is None:
            policy = POISON_MESSAGE_POLICY
        else:
            policy = prepared.parsed.job.definition.retry
        failed = _result_of(
            prepared,
            Outcome.FAILED,
            duration_seconds=duration,
            error=error if error is not None else _poison_of(prepared),
        )
        return self.settlement.settle(failed, prepared.record, policy, handler_ran)

    def _internal_failure(self, prepared: PreparedRecord, error: Exception) -> RecordResult:
        logger.exception(
            "the worker failed on message %s; it stays on the queue", prepared.record["messageId"]
        )
        result = _result_of(prepared, Outcome.FAILED, error=error, reason="worker_error")
        try:
            log_outcome(result)
        except Exception:
            logger.exception("could not log the outcome of message %s", result.message_id)
        return result


def prepare_record(record: SQSRecord, parse: Callable[[SQSRecord], ParsedJob]) -> PreparedRecord:
    """Parse ``record`` with ``parse``; a poison message is kept with its reason."""
    attempt = attempt_number_of(record)
    try:
        return PreparedRecord(record, attempt, parsed=parse(record))
    except PoisonMessageError as poison:
        return PreparedRecord(record, attempt, poison=poison.with_traceback(None))


def _result_of(prepared: PreparedRecord, outcome: Outcome, **fields: Any) -> RecordResult:
    """A result for ``prepared`` naming its job as far as the record tells it."""
    job_name = job_id = None
    if prepared.parsed is not None:
        job_name, job_id = prepared.parsed.message.job_name, prepared.parsed.message.job_id
    elif prepared.poison is not None:
        job_name, job_id = prepared.poison.job_name, prepared.poison.job_id
    return RecordResult(
        message_id=prepared.record["messageId"],
        outcome=outcome,
        job_name=job_name,
        job_id=job_id,
        attempt_number=prepared.attempt_number,
        **fields,
    )


def _poison_of(prepared: PreparedRecord) -> PoisonMessageError:
    assert prepared.poison is not None, "a record without a job must carry its poison reason"
    return prepared.poison


async def _await(awaitable: Any) -> None:
    await awaitable
