"""What a job handler gets besides its payload: ``JobContext``."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from glasswork.jobs.job_logger import JobLoggerAdapter
from glasswork.modules import Container

__all__ = ["JobContext"]


class JobContext:
    """The context of one attempt of one job (read-only by convention).

    The worker makes one per record, so it is a plain slotted class (a frozen dataclass costs
    several times more to build) and ``logger`` is built on first use.

    Parameters:
        services: the application's container; ``ctx.services.email_service`` or the typed
            ``ctx.services.get(EmailService)``.
        logger: a logger adapter used as ``ctx.logger`` as it is, or a ``logging.Logger``:
            ``ctx.logger`` is then a ``JobLoggerAdapter`` over it whose records carry
            ``job_name``, ``job_id`` and ``attempt``, made the first time it is used.
        job_id: the id given at enqueue time, the same on every retry.
        job_name: the job's name.
        attempt_number: 1 for the first attempt, 2 for the first retry, ...
        enqueued_at: when the job was enqueued (UTC).
        message_id: the SQS message id, when the job came from SQS.
        metadata: the message's metadata.
    """

    __slots__ = (
        "_logger",
        "attempt_number",
        "enqueued_at",
        "job_id",
        "job_name",
        "message_id",
        "metadata",
        "services",
    )

    def __init__(
        self,
        services: Container,
        logger: logging.LoggerAdapter[logging.Logger] | logging.Logger,
        job_id: str,
        job_name: str,
        attempt_number: int,
        enqueued_at: datetime,
        message_id: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self.services = services
        self._logger = logger
        self.job_id = job_id
        self.job_name = job_name
        self.attempt_number = attempt_number
        self.enqueued_at = enqueued_at
        self.message_id = message_id
        self.metadata = metadata

    @property
    def logger(self) -> logging.LoggerAdapter[logging.Logger]:
        """A logger whose records carry ``job_name``, ``job_id`` and ``attempt``."""
        logger = self._logger
        if isinstance(logger, logging.LoggerAdapter):
            return logger
        adapter = self._logger = JobLoggerAdapter(
            logger,
            {"job_name": self.job_name, "job_id": self.job_id, "attempt": self.attempt_number},
        )
        return adapter

    def __repr__(self) -> str:
        return (
            f"JobContext(job_name={self.job_name!r}, job_id={self.job_id!r}, "
            f"attempt_number={self.attempt_number}, message_id={self.message_id!r})"
        )
