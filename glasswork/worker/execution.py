"""One record from start to end: run its job, decide what follows, and do it.

``RecordExecutor.run`` (threads) and ``RecordExecutor.run_async`` (event loop) share every step
but the call of the handler; neither ever raises for a record: a failure of the worker itself
leaves the record on the queue (``Outcome.FAILED``), so nothing is lost.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from time import perf_counter
from typing import Any

from glasswork.jobs.context import JobContext
from glasswork.jobs.errors import PermanentJobError, RetryExhaustedError
from glasswork.jobs.retry_policy import RetryPolicy
from glasswork.modules import Container
from glasswork.worker.actions import QueueActions
from glasswork.worker.dead_letter import DeadLetter, DeadLetterReason, NoDeadLetterQueueError
from glasswork.worker.events import SQSRecord
from glasswork.worker.hooks import JobEvent, WorkerHooks
from glasswork.worker.logs import JobLoggerAdapter, log_outcome
from glasswork.worker.outcome import Outcome, RecordResult
from glasswork.worker.parsing import ParsedJob, PoisonMessageError, attempt_number_of
from glasswork.worker.retry import retry_delay_seconds

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

_POISON_POLICY = RetryPolicy()
"""Policy for poison messages whose job is unknown: dead-letter (``dead=True``)."""


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
    """Runs single records: hooks, handler, outcome, retry/dead-letter, log line.

    Parameters:
        container: the application's container (``ctx.services``).
        hooks: the lifecycle hooks.
        actions: the queue operations for retries and dead-lettering.
    """

    def __init__(self, container: Container, hooks: WorkerHooks, actions: QueueActions) -> None:
        self.container = container
        self.hooks = hooks
        self.actions = actions

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
                    await self.hooks.call_async("on_job_complete", _event(result_))
                log_outcome(result_)
                return result_
            return await loop.run_in_executor(
                pool, self._settle_failure, prepared, error, duration, True
            )
        except Exception as internal:
            return self._internal_failure(prepared, internal)

    def skip(self, prepared: PreparedRecord, reason: str) -> RecordResult:
        """Report a record failed without running it (time running out, FIFO group blocked)."""
        job_name, job_id = _identity(prepared)
        result = RecordResult(
            message_id=prepared.record["messageId"],
            outcome=Outcome.SKIPPED,
            job_name=job_name,
            job_id=job_id,
            attempt_number=prepared.attempt_number,
            reason=reason,
        )
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
            self.hooks.call("on_job_complete", _event(result))
        log_outcome(result)
        return result

    def _settle_failure(
        self,
        prepared: PreparedRecord,
        error: Exception | None,
        duration: float,
        handler_ran: bool,
    ) -> RecordResult:
        """Decide and carry out what follows a failed attempt or a poison message."""
        record = prepared.record
        attempt = prepared.attempt_number
        job_name, job_id = _identity(prepared)
        policy = _POISON_POLICY if prepared.parsed is None else prepared.parsed.job.definition.retry
        cause: BaseException = error if error is not None else _poison_of(prepared)

        base = RecordResult(
            message_id=record["messageId"],
            outcome=Outcome.FAILED,
            job_name=job_name,
            job_id=job_id,
            attempt_number=attempt,
            duration_seconds=duration,
            error=cause,
        )
        reason = _dead_reason(cause, policy, attempt)
        if reason is DeadLetterReason.RETRIES_EXHAUSTED:
            # Hooks and the log line see the exhaustion; the dead letter keeps the last
            # error's type, the most useful field when triaging a DLQ.
            exhausted = RetryExhaustedError(job_name or "?", attempt, cause)
            exhausted.__cause__ = cause
            base = replace(base, error=exhausted)
        if reason is None:
            result = self._postpone(base, record, policy, outcome=Outcome.RETRY_SCHEDULED)
        elif not policy.dead:
            result = replace(base, outcome=Outcome.DISCARDED, reason=reason.value)
        else:
            result = self._dead_letter(base, record, DeadLetter(reason, cause, attempt), policy)

        if handler_ran:
            self.hooks.call("on_job_failed", _event(result))
        if result.outcome is Outcome.DEAD_LETTERED:
            self.hooks.call("on_job_dead_letter", _event(result))
        log_outcome(result)
        return result

    def _postpone(
        self, base: RecordResult, record: SQSRecord, policy: RetryPolicy, *, outcome: Outcome
    ) -> RecordResult:
        delay = retry_delay_seconds(policy, base.attempt_number, base.error)
        try:
            self.actions.postpone(record, delay)
        except Exception:
            logger.exception(
                "could not postpone message %s of job %r by %d s; it returns after the "
                "queue's visibility timeout instead",
                base.message_id,
                base.job_name,
                delay,
            )
            return replace(base, outcome=outcome)
        return replace(base, outcome=outcome, retry_in_seconds=delay)

    def _dead_letter(
        self, base: RecordResult, record: SQSRecord, letter: DeadLetter, policy: RetryPolicy
    ) -> RecordResult:
        try:
            self.actions.dead_letter(record, letter)
        except NoDeadLetterQueueError as missing:
            logger.error("%s (job %r, reason %s)", missing, base.job_name, letter.reason.value)
            # Without a DLQ the message would come straight back: slow the loop down.
            failed = replace(base, reason="no_dead_letter_queue")
            return self._postpone(failed, record, policy, outcome=Outcome.FAILED)
        except Exception:
            logger.exception(
                "could not send message %s of job %r to the dead-letter queue; it stays on "
                "the queue and will be dead-lettered on its next delivery",
                base.message_id,
                base.job_name,
            )
            return replace(base, reason="dead_letter_send_failed")
        return replace(base, outcome=Outcome.DEAD_LETTERED, reason=letter.reason.value)

    def _internal_failure(self, prepared: PreparedRecord, error: Exception) -> RecordResult:
        logger.exception(
            "the worker failed on message %s; it stays on the queue", prepared.record["messageId"]
        )
        job_name, job_id = _identity(prepared)
        result = RecordResult(
            message_id=prepared.record["messageId"],
            outcome=Outcome.FAILED,
            job_name=job_name,
            job_id=job_id,
            attempt_number=prepared.attempt_number,
            error=error,
            reason="worker_error",
        )
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


def _dead_reason(
    error: BaseException, policy: RetryPolicy, attempt_number: int
) -> DeadLetterReason | None:
    if isinstance(error, PoisonMessageError):
        return error.reason
    if isinstance(error, PermanentJobError):
        return DeadLetterReason.PERMANENT_ERROR
    if policy.has_attempts_left(attempt_number):
        return None
    return DeadLetterReason.RETRIES_EXHAUSTED


def _identity(prepared: PreparedRecord) -> tuple[str | None, str | None]:
    if prepared.parsed is not None:
        return prepared.parsed.message.job_name, prepared.parsed.message.job_id
    if prepared.poison is not None:
        return prepared.poison.job_name, prepared.poison.job_id
    return None, None


def _poison_of(prepared: PreparedRecord) -> PoisonMessageError:
    assert prepared.poison is not None, "a record without a job must carry its poison reason"
    return prepared.poison


def _event(result: RecordResult) -> JobEvent:
    return JobEvent(
        job_name=result.job_name,
        job_id=result.job_id or result.message_id,
        attempt_number=result.attempt_number,
        message_id=result.message_id,
        duration_seconds=result.duration_seconds,
        error=result.error,
        outcome=result.outcome.value,
        retry_in_seconds=result.retry_in_seconds,
        reason=result.reason,
    )


async def _await(awaitable: Any) -> None:
    await awaitable
