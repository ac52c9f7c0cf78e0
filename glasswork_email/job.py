"""The ``send_email`` job: render a templated email payload and send it, exactly once."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import TypeAdapter

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import JobDefinition, define_job

__all__ = ["SEND_EMAIL_JOB_NAME", "define_send_email_job"]

SEND_EMAIL_JOB_NAME = "send-email"
"""The job name every ``send_email`` job is registered under."""

P = TypeVar("P")


def _handle_send_email(payload: Any, ctx: JobContext) -> None:
    service = ctx.services.get("templated_email_service")
    service.send(payload, idempotency_key=payload.idempotency_key or ctx.job_id)


def define_send_email_job(
    schema: TypeAdapter[P], *, queue: str = "default", retry: int | None = None
) -> JobDefinition[P]:
    """The ``send_email`` job typed by a generated package's payload union.

    Generated packages call this once (``send_email = define_send_email_job(email_payload)``),
    so ``job_service.enqueue(send_email, WelcomeEmail(...))`` is checked by mypy and pyright.

    Parameters:
        schema: the generated ``TypeAdapter`` of the payload union (discriminated on ``template``).
        queue: the queue the emails go to (default ``"default"``).
        retry: attempts in all before dead-lettering (default 25).
    """
    return define_job(
        SEND_EMAIL_JOB_NAME, _handle_send_email, schema=schema, queue=queue, retry=retry
    )
