"""The worker's log lines: one JSON object per job outcome, and the logger behind ``ctx.logger``.

Each outcome is logged through ``logging`` (logger ``glasswork.worker``) with the JSON object as
the message, so it reads as one line whatever handler is installed, and CloudWatch Logs Insights
can parse it. The same fields travel on the record as ``record.glasswork`` for structured
formatters. Levels: ``INFO`` for success, ``WARNING`` for a scheduled retry, ``ERROR`` for
dead-lettered, discarded, failed and skipped records.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import MutableMapping
from typing import Any

from glasswork.worker.outcome import Outcome, RecordResult

__all__ = ["OUTCOME_LOGGER_NAME", "JobLoggerAdapter", "log_outcome", "outcome_fields"]

OUTCOME_LOGGER_NAME = "glasswork.worker"
"""The logger the outcome lines go through."""

logger = logging.getLogger(OUTCOME_LOGGER_NAME)

_LEVELS = {
    Outcome.SUCCEEDED: logging.INFO,
    Outcome.RETRY_SCHEDULED: logging.WARNING,
    Outcome.DEAD_LETTERED: logging.ERROR,
    Outcome.DISCARDED: logging.ERROR,
    Outcome.FAILED: logging.ERROR,
    Outcome.SKIPPED: logging.WARNING,
}


class JobLoggerAdapter(logging.LoggerAdapter[logging.Logger]):
    """A logger whose records carry ``job_id`` and ``job_name`` (and any ``extra`` given)."""

    def process(
        self, msg: Any, kwargs: MutableMapping[str, Any]
    ) -> tuple[Any, MutableMapping[str, Any]]:
        """Merge the job's fields into the call's ``extra`` instead of replacing it."""
        given = kwargs.get("extra")
        kwargs["extra"] = {**(self.extra or {}), **given} if given else self.extra
        return msg, kwargs


def outcome_fields(result: RecordResult) -> dict[str, Any]:
    """The fields of an outcome line, in a stable order."""
    fields: dict[str, Any] = {
        "event": "job_outcome",
        "outcome": result.outcome.value,
        "job_name": result.job_name,
        "job_id": result.job_id,
        "attempt": result.attempt_number,
        "duration_ms": round(result.duration_seconds * 1000, 3),
        "message_id": result.message_id,
    }
    if result.reason is not None:
        fields["reason"] = result.reason
    if result.retry_in_seconds is not None:
        fields["retry_in_seconds"] = result.retry_in_seconds
    error = result.error
    if error is not None:
        fields["error_type"] = type(error).__name__
        fields["error_message"] = str(error)
        if error.__traceback__ is not None or error.__cause__ is not None:
            fields["traceback"] = "".join(traceback.format_exception(error)).rstrip()
    return fields


def log_outcome(result: RecordResult) -> None:
    """Log one JSON line for ``result`` (nothing is formatted when the level is disabled)."""
    outcome = result.outcome
    level = logging.INFO if outcome is Outcome.SUCCEEDED else _LEVELS[outcome]
    if not logger.isEnabledFor(level):
        return
    fields = outcome_fields(result)
    logger.log(level, json.dumps(fields, default=str), extra={"glasswork": fields})
