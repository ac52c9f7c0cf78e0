"""The ``send_email`` job: render a templated email payload and send it, exactly once.

SQS delivers a message at least once and SES ``SendEmail`` takes no idempotency token, so the
handler guards each send with an idempotency store keyed by ``payload.idempotency_key`` or, by
default, the job id (the same on every redelivery and retry):

1. ``claim`` the key. Completed → skip, reported as ``Ignored("duplicate")``. Leased by a live
   attempt → retry after the lease.
2. Render and send.
3. ``complete`` the key with the provider's message id. On a failed send, ``release`` it.

An email whose every recipient is suppressed is not sent and not a failure: the key is
completed and the handler returns ``Ignored("suppressed")``, so the worker acknowledges the
message and reports the outcome ``ignored`` with reason ``suppressed`` (outcome line, metrics,
hooks).

When the transport cannot tell whether the provider sent the message (its answer was lost:
``EmailSendOutcomeUnknownError``), the job's ``on_unknown_outcome`` policy decides:

- ``"resend"`` (the default): record the unknown outcome and send once more after the lease,
  logged as a possible duplicate. A second unknown outcome for the same email dead-letters it,
  so an email goes out at most twice.
- ``"dead_letter"``: record the unknown outcome and dead-letter the job for a person to check;
  redeliveries of it send nothing.

The one window that remains: a worker that stops (crash, timeout) after SES accepted the
message and before step 3 recorded it. Its lease runs out and a redelivery sends again. The
window is the few milliseconds between SES's answer and one DynamoDB ``PutItem``; nothing slow
(rendering, hooks) happens inside it, and a failure to record is logged, not raised, so it
never turns into a retry.
"""

from __future__ import annotations

from typing import Any, Literal, NoReturn, TypeVar

from pydantic import TypeAdapter

from glasswork.idempotency.base import (
    DEFAULT_LEASE_SECONDS,
    IdempotencyState,
    IdempotencyStore,
)
from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import JobDefinition, define_job
from glasswork.jobs.errors import InvalidJobDefinitionError, PermanentJobError, TransientJobError
from glasswork.jobs.idempotent import DUPLICATE_REASON, IDEMPOTENCY_STORE_PROVIDER
from glasswork.jobs.ignored import Ignored
from glasswork.jobs.retry_policy import RetryPolicy
from glasswork_email.errors import EmailSendOutcomeUnknownError
from glasswork_email.payload import TemplatedEmail
from glasswork_email.service import SendResult, TemplatedEmailService

__all__ = [
    "IDEMPOTENCY_STORE_PROVIDER",
    "MIN_IN_PROGRESS_RETRY_SECONDS",
    "SEND_EMAIL_JOB_NAME",
    "SUPPRESSED_REASON",
    "TEMPLATED_EMAIL_SERVICE_PROVIDER",
    "UNKNOWN_OUTCOME_RESULT",
    "OnUnknownOutcome",
    "define_send_email_job",
    "send_templated_email_once",
]

SEND_EMAIL_JOB_NAME = "send-email"
"""The job name every ``send_email`` job is registered under."""

SUPPRESSED_REASON = "suppressed"
"""The reason of the ``ignored`` outcome of an email whose every recipient is suppressed."""

TEMPLATED_EMAIL_SERVICE_PROVIDER = "templated_email_service"
"""The provider name the handler gets its ``TemplatedEmailService`` from."""


MIN_IN_PROGRESS_RETRY_SECONDS = 1.0
"""Shortest delay before retrying a send another attempt holds, in seconds."""

UNKNOWN_OUTCOME_RESULT = "unknown-outcome"
"""What the idempotency store records for an email whose send had an unknown outcome."""

OnUnknownOutcome = Literal["resend", "dead_letter"]
"""The policy for a send whose outcome is unknown: ``"resend"`` once after the lease (at most
one duplicate) or ``"dead_letter"`` for a person to check (never a duplicate)."""

_RESEND_SUFFIX = "#resend"

P = TypeVar("P")


def send_templated_email_once(
    payload: TemplatedEmail,
    ctx: JobContext,
    *,
    lease_seconds: float = DEFAULT_LEASE_SECONDS,
    on_unknown_outcome: OnUnknownOutcome = "resend",
) -> Ignored | None:
    """The ``send_email`` handler: send ``payload`` unless this email was already sent.

    Returns ``Ignored("suppressed")`` when every recipient is suppressed (nothing was sent),
    ``Ignored("duplicate")`` for a delivery of an email already sent (or dead-lettered after
    an unknown outcome), otherwise ``None``.

    Gets ``templated_email_service`` and, when provided, ``idempotency_store`` from
    ``ctx.services``.

    Parameters:
        payload: a generated payload model.
        ctx: the job's context.
        lease_seconds: how long a claim keeps other attempts away (default 120).
        on_unknown_outcome: ``"resend"`` (default) or ``"dead_letter"``; see the module.

    Raises ``TransientJobError`` when another live attempt is sending the same email or a
    resend waits for its lease, ``PermanentJobError`` when an unknown outcome dead-letters the
    email, and whatever rendering or the transport raises (the claim is released first).
    """
    service: TemplatedEmailService = ctx.services.get(TEMPLATED_EMAIL_SERVICE_PROVIDER)
    key = payload.idempotency_key or ctx.job_id
    if IDEMPOTENCY_STORE_PROVIDER not in ctx.services:
        ctx.logger.debug(
            "no %s provider: email %s is not deduplicated", IDEMPOTENCY_STORE_PROVIDER, key
        )
        return _note_suppressed(service.send(payload, idempotency_key=key), ctx)
    store: IdempotencyStore = ctx.services.get(IDEMPOTENCY_STORE_PROVIDER)
    claim = store.claim(key, lease_seconds=lease_seconds)
    if claim.state is IdempotencyState.COMPLETED and claim.result == UNKNOWN_OUTCOME_RESULT:
        if on_unknown_outcome == "dead_letter":
            ctx.logger.warning(
                "email %s had an unknown outcome and was dead-lettered; not sending", key
            )
            return Ignored(DUPLICATE_REASON)
        ctx.logger.warning(
            "resending email %s: an earlier send's outcome is unknown, so the recipient may "
            "get it twice",
            key,
        )
        key = key + _RESEND_SUFFIX
        claim = store.claim(key, lease_seconds=lease_seconds)
    if claim.state is IdempotencyState.COMPLETED:
        ctx.logger.info("email %s was already sent (message %s); skipping", key, claim.result)
        return Ignored(DUPLICATE_REASON)
    if claim.state is IdempotencyState.IN_PROGRESS:
        retry_after = max(claim.lease_remaining_seconds, MIN_IN_PROGRESS_RETRY_SECONDS)
        raise TransientJobError(
            f"email {key!r} is being sent by another attempt; retrying in {retry_after:.0f} s",
            retry_after=retry_after,
        )
    owner = claim.owner or ""
    try:
        result = service.send(payload, idempotency_key=key)
    except EmailSendOutcomeUnknownError as error:
        _settle_unknown_outcome(store, key, owner, error, on_unknown_outcome, lease_seconds)
    except BaseException:
        _release_quietly(store, key, owner, ctx)
        raise
    outcome = _note_suppressed(result, ctx)
    try:
        store.complete(key, owner, result=result.message_id)
    except Exception:
        # Raising would make the worker retry, and the retry would send the email again.
        ctx.logger.exception(
            "email %s was sent (message %s) but could not be recorded as sent; a redelivery "
            "after the lease ends would send it again",
            key,
            result.message_id,
        )
    return outcome


def _settle_unknown_outcome(
    store: IdempotencyStore,
    key: str,
    owner: str,
    error: EmailSendOutcomeUnknownError,
    on_unknown_outcome: OnUnknownOutcome,
    lease_seconds: float,
) -> NoReturn:
    # Recorded as completed, so no redelivery sends again without the policy's consent; if
    # this write fails, the claim stays leased and a resend waits for the lease to run out.
    store.complete(key, owner, result=UNKNOWN_OUTCOME_RESULT)
    if on_unknown_outcome == "dead_letter" or key.endswith(_RESEND_SUFFIX):
        raise PermanentJobError(
            f"email {key!r} may or may not have been sent ({error}); dead-lettered for a "
            "person to check: if it did not arrive, enqueue it again with a new "
            "idempotency_key"
        ) from error
    raise TransientJobError(
        f"email {key!r} may or may not have been sent ({error}); resending once in "
        f"{lease_seconds:.0f} s (the recipient may get it twice)",
        retry_after=lease_seconds,
    ) from error


def _note_suppressed(result: SendResult, ctx: JobContext) -> Ignored | None:
    # Not an error: a suppressed email is neither retried nor dead-lettered. The line names the
    # addresses (the outcome line does not); ``Ignored`` puts "suppressed" in the outcome line.
    if result.outcome != "suppressed":
        return None
    ctx.logger.info(
        "email %s suppressed: not sent to %s",
        result.idempotency_key,
        ", ".join(f"{s.address} ({s.reason.value})" for s in result.suppressed),
        extra={"email_outcome": "suppressed"},
    )
    return Ignored(SUPPRESSED_REASON)


def _release_quietly(store: IdempotencyStore, key: str, owner: str, ctx: JobContext) -> None:
    try:
        store.release(key, owner)
    except Exception:
        ctx.logger.warning(
            "could not release idempotency key %s; the next attempt waits for its lease",
            key,
            exc_info=True,
        )


def define_send_email_job(
    schema: TypeAdapter[P],
    *,
    queue: str = "default",
    retry: RetryPolicy | int | bool | None = None,
    lease_seconds: float = DEFAULT_LEASE_SECONDS,
    on_unknown_outcome: OnUnknownOutcome = "resend",
) -> JobDefinition[P]:
    """The ``send_email`` job typed by a generated package's payload union.

    Generated packages call this once (``send_email = define_send_email_job(email_payload)``),
    so ``job_service.enqueue(send_email, WelcomeEmail(...))`` is checked by mypy and pyright.

    Parameters:
        schema: the generated ``TypeAdapter`` of the payload union (discriminated on ``template``).
        queue: the queue the emails go to (default ``"default"``).
        retry: as for ``define_job`` (default: 25 attempts, then dead-letter).
        lease_seconds: how long a claim keeps other attempts of the same email away (default
            120); longer than one render and send.
        on_unknown_outcome: when SES's answer is lost, ``"resend"`` once after the lease (at
            most one duplicate, logged; the default) or ``"dead_letter"`` (never a duplicate).
    """
    if on_unknown_outcome not in ("resend", "dead_letter"):
        raise InvalidJobDefinitionError(
            f"on_unknown_outcome must be 'resend' or 'dead_letter', got {on_unknown_outcome!r}"
        )

    def handle_send_email(payload: Any, ctx: JobContext) -> Ignored | None:
        return send_templated_email_once(
            payload, ctx, lease_seconds=lease_seconds, on_unknown_outcome=on_unknown_outcome
        )

    return define_job(
        SEND_EMAIL_JOB_NAME, handle_send_email, schema=schema, queue=queue, retry=retry
    )
