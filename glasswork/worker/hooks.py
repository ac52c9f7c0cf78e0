"""Lifecycle hooks of the worker: ``WorkerHooks`` and the ``JobEvent`` each hook receives."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

__all__ = ["HookName", "JobEvent", "JobHook", "WorkerHooks"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class JobEvent:
    """What a hook learns about one attempt of one job.

    Parameters:
        job_name: the job (``None`` for a poison message whose body names none).
        job_id: the job id (the SQS message id when the body carries none).
        attempt_number: 1 for the first delivery, from ``ApproximateReceiveCount``.
        message_id: the SQS message id (``None`` for a direct invocation).
        duration_seconds: time spent in the handler, in seconds (``None`` in ``on_job_start``).
        error: the error raised by the handler, or why a poison message was dead-lettered.
        outcome: how the attempt ended (an ``Outcome`` value such as ``"retry_scheduled"``;
            ``None`` in ``on_job_start``).
        retry_in_seconds: the backoff before the next attempt, when one is scheduled.
        reason: why the message was dead-lettered or dropped (``"permanent_error"``,
            ``"retries_exhausted"``, ``"invalid_json"``, ``"missing_job_name"``,
            ``"unknown_job"``, ``"invalid_payload"``, ``"invalid_message"``,
            ``"unreadable_message"``), or the handler's reason when it returned
            ``Ignored(reason)`` (outcome ``"ignored"``; ``"suppressed"`` for ``send_email``).
    """

    job_name: str | None
    job_id: str
    attempt_number: int
    message_id: str | None = None
    duration_seconds: float | None = None
    error: BaseException | None = None
    outcome: str | None = None
    retry_in_seconds: int | None = None
    reason: str | None = None


JobHook = Callable[[JobEvent], Awaitable[None] | None]
"""A hook: a plain function or a coroutine function taking a ``JobEvent``."""

HookName = str


@dataclass(frozen=True)
class WorkerHooks:
    """Callables the worker calls around each job; each is optional, sync or async.

    A hook that raises is logged and ignored: it never changes a job's outcome.

    Parameters:
        on_job_start: before the handler runs (once per attempt).
        on_job_complete: after the handler returned (once per successful attempt);
            ``event.outcome`` is ``"succeeded"``, or ``"ignored"`` with ``event.reason`` when
            the handler returned ``Ignored(reason)``.
        on_job_failed: after the handler raised (once per failed attempt, whatever follows:
            retry, dead-letter or discard); ``event.outcome`` says which.
        on_job_dead_letter: once per message sent to the dead-letter queue, poison messages
            included, after the send succeeded.
    """

    on_job_start: JobHook | None = None
    on_job_complete: JobHook | None = None
    on_job_failed: JobHook | None = None
    on_job_dead_letter: JobHook | None = None

    def call(self, name: HookName, event: JobEvent) -> None:
        """Call hook ``name`` from synchronous code; errors are logged, never raised."""
        hook: JobHook | None = getattr(self, name)
        if hook is None:
            return
        try:
            result = hook(event)
            if inspect.isawaitable(result):
                import asyncio  # only async hooks need it: kept off the import path

                asyncio.run(_await(result))
        except Exception:
            _log_hook_error(name, event)

    async def call_async(self, name: HookName, event: JobEvent) -> None:
        """Call hook ``name`` from a coroutine; errors are logged, never raised."""
        hook: JobHook | None = getattr(self, name)
        if hook is None:
            return
        try:
            result = hook(event)
            if inspect.isawaitable(result):
                await result
        except Exception:
            _log_hook_error(name, event)


async def _await(awaitable: Awaitable[None]) -> None:
    await awaitable


def _log_hook_error(name: str, event: JobEvent) -> None:
    logger.exception(
        "hook %s raised for job %r (job id %s, attempt %d); the job's outcome is unchanged",
        name,
        event.job_name,
        event.job_id,
        event.attempt_number,
    )
