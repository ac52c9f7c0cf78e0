"""The route of one SQS record through the worker, top to bottom.

1. ``read``: the body becomes a ``Delivery`` (job, validated payload, or why it is poison) —
   ``parsing.read_record``, which never raises.
2. ``run`` / ``run_async``: the ``JobContext`` is built, ``on_job_start`` is called and the handler
   runs (sync handlers in the calling thread or a pool thread, async ones on the event loop), in
   a span when the application uses OpenTelemetry (``glasswork.tracing``).
3. ``finish``: a failure is settled (retry backoff, dead-letter or discard —
   ``settlement.settle_failure``); the ``RecordResult`` is built, once; the completion or failure
   hooks are called, metrics recorded, and the outcome line logged.

A record never raises out of the route: a failure of the worker itself leaves the record on the
queue (``Outcome.FAILED``), so nothing is lost. Per record the route builds the ``Delivery``, the
context (with its logger) and the result; a hook's ``JobEvent`` only when that hook is set.

A batch of quick jobs takes a shorter way, through ``quick.py``, and finishes what is not a
plain success here.
"""

from __future__ import annotations

import inspect
import logging
from concurrent.futures import Executor
from logging import INFO
from time import perf_counter
from typing import TYPE_CHECKING, Any

from glasswork.jobs.context import JobContext
from glasswork.jobs.ignored import Ignored
from glasswork.modules import Container
from glasswork.worker.events import SQSRecord
from glasswork.worker.hooks import JobEvent, WorkerHooks
from glasswork.worker.logs import OUTCOME_LOGGER_NAME, log_outcome, log_plain_success
from glasswork.worker.outcome import Outcome, RecordResult
from glasswork.worker.parsing import Delivery, read_record
from glasswork.worker.registry import JobRegistry, RegisteredJob

if TYPE_CHECKING:
    from glasswork.tracing import HandlerSpan, Tracing
    from glasswork.worker.actions import QueueActions
    from glasswork.worker.metrics import Metrics

__all__ = [
    "INLINE_SYNC_HANDLER_SECONDS",
    "SKIPPED_FOR_GROUP",
    "SKIPPED_FOR_TIME",
    "RecordRoute",
    "awaited",
]

logger = logging.getLogger(__name__)
_outcome_logger = logging.getLogger(OUTCOME_LOGGER_NAME)

INLINE_SYNC_HANDLER_SECONDS = 0.0001
"""A sync handler in a batch on the event loop is called on the loop itself, not handed to a
thread, when it lately took less than this, in seconds."""

SKIPPED_FOR_TIME = "lambda_time_running_out"
"""The reason of a record not started because Lambda's time was running out."""
SKIPPED_FOR_GROUP = "fifo_group_blocked"
"""The reason of a record not started because an earlier record of its FIFO group failed."""


class RecordRoute:
    """Reads, runs and settles single records (see the module doc for the order).

    Parameters:
        container: the application's container (``ctx.services``).
        registry: the jobs by name.
        hooks: the lifecycle hooks.
        actions: the queue operations for retries and dead-lettering.
        metrics: where per-record metrics go (default ``None``: none are recorded).
        tracing: handler spans (default ``None``; the worker sets it when the application uses
            OpenTelemetry).
    """

    def __init__(
        self,
        container: Container,
        registry: JobRegistry,
        hooks: WorkerHooks,
        actions: QueueActions,
        *,
        metrics: Metrics | None = None,
        tracing: Tracing | None = None,
    ) -> None:
        self.container = container
        self.registry = registry
        self.hooks = hooks
        self.actions = actions
        self.metrics = metrics
        self.tracing = tracing

    # 1. Read -------------------------------------------------------------------------------

    def read(self, record: SQSRecord) -> Delivery:
        """The record's job and payload, or why it is poison (never raises)."""
        return read_record(record, self.registry)

    # 2. Run --------------------------------------------------------------------------------

    def run(self, delivery: Delivery) -> RecordResult:
        """Run one record in the calling thread (sync handlers; async ones get a loop)."""
        try:
            poison = delivery.poison
            if poison is not None:
                return self.finish(delivery, poison, 0.0, handler_ran=False)
            job = delivery.job
            assert job is not None, "a record that is not poison has its job"
            ctx = self._context(delivery, job)
            if self.hooks.on_job_start is not None:
                self.hooks.call("on_job_start", _start_event(delivery))
            span = None if self.tracing is None else self._span(delivery)
            error: Exception | None = None
            started = perf_counter()
            try:
                returned = job.handler(delivery.payload, ctx)
                if returned is not None and inspect.isawaitable(returned):
                    import asyncio  # only async jobs need it: kept off the import path

                    returned = asyncio.run(awaited(returned))
            except Exception as raised:
                error = raised
                returned = None
            duration = perf_counter() - started
            if span is not None:
                span.end(error)
            job.record_duration(duration)
            if (
                error is None
                and returned is None
                and self.hooks.on_job_complete is None
                and self.metrics is None
            ):
                return _plain_success(delivery, duration)
            return self.finish(delivery, error, duration, True, returned=returned)
        except Exception as internal:
            return self.internal_failure(delivery, internal)

    @property
    def plain(self) -> bool:
        """Whether a success needs no more than its result and its line (no start or
        completion hook, no metrics, no tracing): the condition of ``run_quick``."""
        hooks = self.hooks
        return (
            hooks.on_job_start is None
            and hooks.on_job_complete is None
            and self.metrics is None
            and self.tracing is None
        )

    async def run_async(self, delivery: Delivery, pool: Executor | None) -> RecordResult:
        """Run one record on the running event loop; blocking steps go to ``pool``.

        With ``pool=None`` (a batch of quick jobs, run one after another) every step runs on
        the loop itself, as the sync route runs them in the calling thread.
        """
        try:
            poison = delivery.poison
            if poison is not None:
                # Dead-lettering calls SQS: off the loop.
                return await self._off_loop(pool, delivery, poison, 0.0, False)
            job = delivery.job
            assert job is not None, "a record that is not poison has its job"
            ctx = self._context(delivery, job)
            hooks = self.hooks
            if hooks.on_job_start is not None:
                await hooks.call_async("on_job_start", _start_event(delivery))
            span = None if self.tracing is None else self._span(delivery)
            error: Exception | None = None
            returned: Any = None
            started = perf_counter()
            try:
                if job.is_async:
                    returned = await job.handler(delivery.payload, ctx)
                else:
                    estimate = job.duration_estimate_seconds
                    if pool is None or (
                        estimate is not None and estimate < INLINE_SYNC_HANDLER_SECONDS
                    ):
                        returned = job.handler(delivery.payload, ctx)
                    else:
                        import asyncio

                        returned = await asyncio.get_running_loop().run_in_executor(
                            pool, job.handler, delivery.payload, ctx
                        )
                    if returned is not None and inspect.isawaitable(returned):
                        returned = await returned
            except Exception as raised:
                error = raised
                returned = None
            duration = perf_counter() - started
            if span is not None:
                span.end(error)
            job.record_duration(duration)
            if error is None:
                if returned is None and hooks.on_job_complete is None and self.metrics is None:
                    return _plain_success(delivery, duration)
                done = self.finish(delivery, None, duration, True, False, returned)
                if hooks.on_job_complete is not None:
                    await hooks.call_async("on_job_complete", _event(done))
                return done
            # Settling a failure calls SQS: off the loop.
            return await self._off_loop(pool, delivery, error, duration, True)
        except Exception as internal:
            return self.internal_failure(delivery, internal)

    async def _off_loop(
        self,
        pool: Executor | None,
        delivery: Delivery,
        error: BaseException | None,
        duration: float,
        handler_ran: bool,
    ) -> RecordResult:
        if pool is None:
            return self.finish(delivery, error, duration, handler_ran)
        import asyncio

        return await asyncio.get_running_loop().run_in_executor(
            pool, self.finish, delivery, error, duration, handler_ran
        )

    def skip(self, delivery: Delivery, reason: str) -> RecordResult:
        """Report a record failed without running it (time running out, FIFO group blocked)."""
        result = RecordResult(
            delivery.record["messageId"],
            Outcome.SKIPPED,
            delivery.job_name,
            delivery.job_id,
            delivery.attempt_number,
            reason=reason,
        )
        log_outcome(result)
        return result

    def _context(self, delivery: Delivery, job: RegisteredJob) -> JobContext:
        message = delivery.message
        assert message is not None, "only a readable record has a context"
        # Positional: this runs once per record and keywords cost measurably more. The job's
        # logger is wrapped in a JobLoggerAdapter only if the handler uses ctx.logger.
        return JobContext(
            self.container,
            job.logger,
            message.job_id,
            message.job_name,
            delivery.attempt_number,
            message.enqueued_at,
            delivery.record["messageId"],
            message.metadata,
        )

    def _span(self, delivery: Delivery) -> HandlerSpan:
        message = delivery.message
        assert self.tracing is not None and message is not None
        return self.tracing.start(
            message.job_name,
            message.job_id,
            delivery.attempt_number,
            delivery.record["messageId"],
            message.metadata,
        )

    # 3. Finish -----------------------------------------------------------------------------

    def finish(
        self,
        delivery: Delivery,
        error: BaseException | None,
        duration: float,
        handler_ran: bool,
        hooks: bool = True,
        returned: object = None,
    ) -> RecordResult:
        """Settle a failure, build the result, call the hooks, record metrics, log the line.

        ``returned`` is what the handler returned: ``Ignored(reason)`` makes the outcome
        ``IGNORED`` with that reason; anything else is a success.
        """
        record = delivery.record
        message = delivery.message
        if error is None:
            assert message is not None, "only a handler that ran can succeed"
            outcome, reason = Outcome.SUCCEEDED, None
            if isinstance(returned, Ignored):
                outcome, reason = Outcome.IGNORED, returned.reason
            result = RecordResult(
                record["messageId"],
                outcome,
                message.job_name,
                message.job_id,
                delivery.attempt_number,
                duration,
                reason=reason,
            )
            if hooks and self.hooks.on_job_complete is not None:
                self.hooks.call("on_job_complete", _event(result))
        else:
            # Failures are the rare path: settlement (retry, dead letters) loads with the first.
            from glasswork.worker.settlement import settle_failure

            settled = settle_failure(delivery, error, self.actions)
            result = RecordResult(
                record["messageId"],
                settled.outcome,
                delivery.job_name,
                delivery.job_id,
                delivery.attempt_number,
                duration,
                settled.error,
                settled.retry_in_seconds,
                settled.reason,
            )
            if handler_ran and self.hooks.on_job_failed is not None:
                self.hooks.call("on_job_failed", _event(result))
            if result.outcome is Outcome.DEAD_LETTERED and self.hooks.on_job_dead_letter:
                self.hooks.call("on_job_dead_letter", _event(result))
        if self.metrics is not None:
            self.metrics.record(result, message)
        log_outcome(result)
        return result

    def internal_failure(self, delivery: Delivery, error: Exception) -> RecordResult:
        message_id = delivery.record.get("messageId", "?")
        logger.exception("the worker failed on message %s; it stays on the queue", message_id)
        result = RecordResult(
            message_id,
            Outcome.FAILED,
            delivery.job_name,
            delivery.job_id,
            delivery.attempt_number,
            error=error,
            reason="worker_error",
        )
        try:
            log_outcome(result)
        except Exception:
            logger.exception("could not log the outcome of message %s", message_id)
        return result


def _plain_success(delivery: Delivery, duration: float) -> RecordResult:
    """The common end of a record (succeeded, no hooks or metrics), without a detour through
    ``finish``: its result, and its outcome line when INFO is on."""
    message = delivery.message
    assert message is not None
    done = RecordResult(
        delivery.record["messageId"],
        Outcome.SUCCEEDED,
        message.job_name,
        message.job_id,
        delivery.attempt_number,
        duration,
    )
    if _outcome_logger.isEnabledFor(INFO):
        log_plain_success(done)
    return done


def _start_event(delivery: Delivery) -> JobEvent:
    return JobEvent(
        job_name=delivery.job_name,
        job_id=delivery.job_id or delivery.record["messageId"],
        attempt_number=delivery.attempt_number,
        message_id=delivery.record["messageId"],
    )


def _event(result: RecordResult) -> JobEvent:
    """The ``JobEvent`` a hook receives about a finished record."""
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


async def awaited(awaitable: Any) -> Any:
    """What ``awaitable`` gives: a coroutine for ``asyncio.run`` of a sync handler's result."""
    return await awaitable
