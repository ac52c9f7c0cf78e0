"""Settling a failed attempt or a poison message: retry later, dead-letter, or discard.

``settle_failure`` decides what follows from the error and the job's ``RetryPolicy`` and carries
it out through ``QueueActions``. A queue operation that fails is logged and leaves the message
on the queue, so nothing is lost. Hooks and the outcome line are the route's (``route.py``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, NamedTuple

from glasswork.jobs.errors import PermanentJobError, RetryExhaustedError
from glasswork.jobs.retry_policy import RetryPolicy
from glasswork.worker.dead_letter import DeadLetter, DeadLetterReason, NoDeadLetterQueueError
from glasswork.worker.outcome import Outcome
from glasswork.worker.parsing import Delivery, PoisonMessageError
from glasswork.worker.retry import retry_delay_seconds

if TYPE_CHECKING:
    from glasswork.worker.actions import QueueActions

__all__ = ["POISON_MESSAGE_POLICY", "Settlement", "dead_letter_reason", "settle_failure"]

logger = logging.getLogger(__name__)

POISON_MESSAGE_POLICY = RetryPolicy()
"""Policy for poison messages whose job is unknown: dead-letter (``dead=True``)."""


class Settlement(NamedTuple):
    """What became of a failed record.

    Parameters:
        outcome: how it ended.
        error: the error to report (a ``RetryExhaustedError`` wrapping the last one when the
            retries ran out).
        reason: a short machine-readable reason, when not retried.
        retry_in_seconds: the backoff set on the message, when one was set.
    """

    outcome: Outcome
    error: BaseException
    reason: str | None = None
    retry_in_seconds: int | None = None


def settle_failure(delivery: Delivery, error: BaseException, actions: QueueActions) -> Settlement:
    """Decide and carry out what follows a failed attempt or a poison message.

    Parameters:
        delivery: the record (its job's ``RetryPolicy`` applies; poison messages whose job is
            unknown use ``POISON_MESSAGE_POLICY``).
        error: the handler's error, or the ``PoisonMessageError``.
        actions: the queue operations for retries and dead-lettering.
    """
    job = delivery.job
    policy = POISON_MESSAGE_POLICY if job is None else job.definition.retry
    attempt = delivery.attempt_number
    reason = dead_letter_reason(error, policy, attempt)
    if reason is None:
        return _postpone(delivery, error, policy, actions, Outcome.RETRY_SCHEDULED, None)
    reported = error
    if reason is DeadLetterReason.RETRIES_EXHAUSTED:
        # Hooks and the log line see the exhaustion; the dead letter keeps the last
        # error's type, the most useful field when triaging a DLQ.
        reported = RetryExhaustedError(delivery.job_name or "?", attempt, error)
        reported.__cause__ = error
    if not policy.dead:
        return Settlement(Outcome.DISCARDED, reported, reason.value)
    try:
        actions.dead_letter(delivery.record, DeadLetter(reason, error, attempt))
    except NoDeadLetterQueueError:
        # Warned about once per queue (``SQSConnection``); the outcome line names the reason.
        # Without a DLQ the message would come straight back: slow the loop down.
        return _postpone(
            delivery, reported, policy, actions, Outcome.FAILED, "no_dead_letter_queue"
        )
    except Exception:
        logger.exception(
            "could not send message %s of job %r to the dead-letter queue; it stays on "
            "the queue and will be dead-lettered on its next delivery",
            delivery.record["messageId"],
            delivery.job_name,
        )
        return Settlement(Outcome.FAILED, reported, "dead_letter_send_failed")
    return Settlement(Outcome.DEAD_LETTERED, reported, reason.value)


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


def _postpone(
    delivery: Delivery,
    error: BaseException,
    policy: RetryPolicy,
    actions: QueueActions,
    outcome: Outcome,
    reason: str | None,
) -> Settlement:
    delay = retry_delay_seconds(policy, delivery.attempt_number, error)
    try:
        actions.postpone(delivery.record, delay)
    except Exception:
        logger.exception(
            "could not postpone message %s of job %r by %d s; it returns after the "
            "queue's visibility timeout instead",
            delivery.record["messageId"],
            delivery.job_name,
            delay,
        )
        return Settlement(outcome, error, reason)
    return Settlement(outcome, error, reason, delay)
