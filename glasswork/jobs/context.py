"""What a job handler gets besides its payload: ``JobContext``."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from glasswork.modules import Container

__all__ = ["JobContext"]


@dataclass(frozen=True, slots=True)
class JobContext:
    """The context of one attempt of one job.

    Parameters:
        services: the application's container; ``ctx.services.email_service`` or the typed
            ``ctx.services.get(EmailService)``.
        logger: a logger whose records carry ``job_id`` and ``job_name``.
        job_id: the id given at enqueue time, the same on every retry.
        job_name: the job's name.
        attempt_number: 1 for the first attempt, 2 for the first retry, ...
        enqueued_at: when the job was enqueued (UTC).
        message_id: the SQS message id, when the job came from SQS.
        metadata: the message's metadata.
    """

    services: Container
    logger: logging.LoggerAdapter[logging.Logger]
    job_id: str
    job_name: str
    attempt_number: int
    enqueued_at: datetime
    message_id: str | None = None
    metadata: dict[str, Any] | None = None
