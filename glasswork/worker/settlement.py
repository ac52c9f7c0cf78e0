"""Settling a failed attempt or a poison message: retry later, dead-letter, or discard.

``FailureSettlement.settle`` decides what follows from the error and the job's ``RetryPolicy``,
carries it out through ``QueueActions``, calls the failure hooks and logs the outcome. A queue
operation that fails is logged and leaves the message on the queue, so nothing is lost.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from glasswork.jobs.errors import PermanentJobError, RetryExhaustedError
from glasswork.jobs.retry_policy import RetryPolicy
from glasswork.worker.actions import QueueActions
from glasswork.worker.dead_letter import DeadLetter, DeadLetterReason, NoDeadLetterQueueError
from glasswork.worker.events import SQSRecord
from glasswork.worker.hooks import JobEvent, WorkerHooks
from glasswork.worker.logs import log_outcome
from glasswork.worker.outcome import Outcome, RecordResult
from glasswork.worker.parsing import PoisonMessageError
from glasswork.worker.retry import retry_delay_seconds

__all__ = ["POISON_MESSAGE_POLICY", "FailureSettlement", "dead_letter_reason", "hook_event"]

logger = logging.getLogger(__name__)

POISON_MESSAGE_POLICY = RetryPolicy()
"""Policy for poison messages whose job is unknown: dead-letter (``dead=True``)."""


class FailureSettlement:
    """Settles failed records: retry backoff, dead-letter or discard, failure hooks, log line.

    Parameters:
        hooks: the lifecycle hooks (``on_job_failed``, ``on_job_dead_letter``).
        actions: the queue operations for retries and dead-lettering.
    """

    def __init__(self, hooks: WorkerHooks, actions: QueueActions) -> None:
        self.hooks = hooks
        self.actions = actions

    def settle(
        self,
        base: RecordResult,
        record: SQSRecord,
        policy: RetryPolicy,
        handler_ran: bool,
    ) -> RecordResult:
        """Decide and carry out what follows a failed attempt or a poison message.

        Parameters:
            base: the failed result (``Outcome.FAILED``; ``error`` is the handler's error or
                the ``PoisonMessageError``).
            record: the SQS record, for the queue operations.
            policy: the job's retry policy (``POISON_MESSAGE_POLICY`` for an unknown job).
            handler_ran: whether the handler was called (``on_job_failed`` fires only then).
        """
        cause = base.error
        assert cause is not None, "a failed result must carry its error"
        attempt = base.attempt_number
        reason = dead_letter_reason(cause, policy, attempt)
        if reason is DeadLetterReason.RETRIES_EXHAUSTED:
            # Hooks and the log line see the exhaustion; the dead letter keeps the last
            # error's type, the most useful field when triaging a DLQ.
            exhausted = RetryExhaustedError(base.job_name or "?", attempt, cause)
            exhausted.__cause__ = cause
            base = replace(base, error=exhausted)
        if reason is None:
            result = self._postpone(base, record, policy, outcome=Outcome.RETRY_SCHEDULED)
        elif not policy.dead:
            result = replace(base, outcome=Outcome.DISCARDED, reason=reason.value)
        else:
            result = self._dead_letter(base, record, DeadLetter(reason, cause, attempt), policy)

        if handler_ran:
            self.hooks.call("on_job_failed", hook_event(result))
        if result.outcome is Outcome.DEAD_LETTERED:
            self.hooks.call("on_job_dead_letter", hook_event(result))
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


def dead_letter_reason(
    error: BaseException, policy: RetryPolicy, attempt_number: int
) -> DeadLetterReason | None:
    """Why a failed attempt ends its message (``None``: it has attempts left, retry it)."""
    if isinstance(error, PoisonMessageError):
        return error.reason
    if isinstance(error, PermanentJobError):
        return DeadLetterReason.PERMANENT_ERROR
    if policy.has_attempts_left(attempt_number):
        return None
    return DeadLetterReason.RETRIES_EXHAUSTED


def hook_event(result: RecordResult) -> JobEvent:
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
