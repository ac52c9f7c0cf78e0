"""The worker's log lines: one JSON object per job outcome, and the logger behind ``ctx.logger``.

Each outcome is logged through ``logging`` (logger ``glasswork.worker``) with the JSON object as
the message, so it reads as one line whatever handler is installed, and CloudWatch Logs Insights
can parse it. The same fields travel on the record as ``record.glasswork`` for structured
formatters. Levels: ``INFO`` for success and ignored records, ``WARNING`` for a scheduled retry
or a skipped record, ``ERROR`` for dead-lettered, discarded and failed records.

With JSON logging on (``use_json_logs``; the worker turns it on when Lambda's log format is JSON
or ``GLASSWORK_LOG_FORMAT=json``) every line of the process is one JSON object of one shape:
``timestamp``, ``level``, ``logger``, ``message`` and the record's fields — for an outcome line
its fields at the top level, for a ``ctx.logger`` line ``job_name``, ``job_id`` and ``attempt``
(and any ``extra``). In Lambda the runtime's own JSON formatter writes the lines (it puts a
record's ``extra`` fields at the top level too, with the request id); elsewhere
``JsonLogFormatter`` does.
"""

from __future__ import annotations

import json
import logging
import os
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from glasswork.jobs.job_logger import JobLoggerAdapter
from glasswork.worker.outcome import Outcome, RecordResult, milliseconds
from glasswork.worker.outcome_lines import OutcomeLineWriter, succeeded_fields_json

__all__ = [
    "LOG_FORMAT_ENVIRONMENT_VARIABLE",
    "OUTCOME_LOGGER_NAME",
    "JobLoggerAdapter",
    "JsonLogFormatter",
    "hold_outcome_flushes",
    "json_logs_wanted",
    "log_outcome",
    "log_plain_success",
    "outcome_fields",
    "refresh_outcome_lines",
    "release_outcome_flushes",
    "succeeded_line_writer",
    "use_json_logs",
    "use_text_logs",
]

LOG_FORMAT_ENVIRONMENT_VARIABLE = "GLASSWORK_LOG_FORMAT"
"""``json`` turns JSON logging on (``text``, the default outside Lambda's JSON format, leaves
the handlers as they are)."""

OUTCOME_LOGGER_NAME = "glasswork.worker"
"""The logger the outcome lines go through."""

logger = logging.getLogger(OUTCOME_LOGGER_NAME)

_LEVELS = {
    Outcome.SUCCEEDED: logging.INFO,
    Outcome.IGNORED: logging.INFO,
    Outcome.RETRY_SCHEDULED: logging.WARNING,
    Outcome.DEAD_LETTERED: logging.ERROR,
    Outcome.DISCARDED: logging.ERROR,
    Outcome.FAILED: logging.ERROR,
    Outcome.SKIPPED: logging.WARNING,
}


# Process-wide: whether outcome lines put their fields at the top level of a JSON line (set by
# ``use_json_logs``, read on every outcome line).
_json_lines = False

# Attributes every LogRecord has; anything else on a record came from ``extra``.
_RECORD_ATTRIBUTES = frozenset(
    set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "glasswork"}
)


class JsonLogFormatter(logging.Formatter):
    """Formats every record as one JSON object: ``timestamp``, ``level``, ``logger``,
    ``message``, then the record's ``extra`` fields (an outcome line's fields, or a job's
    ``job_name``, ``job_id`` and ``attempt``), then ``traceback`` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        fields: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and key not in fields:
                fields[key] = value
        if record.exc_info and "traceback" not in fields:
            fields["traceback"] = self.formatException(record.exc_info)
        return json.dumps(fields, default=str)


def json_logs_wanted() -> bool:
    """Whether the environment asks for JSON logs (``GLASSWORK_LOG_FORMAT``, Lambda's format)."""
    wanted = os.environ.get(LOG_FORMAT_ENVIRONMENT_VARIABLE, "").lower()
    if wanted:
        return wanted == "json"
    return os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() == "JSON"


def use_json_logs(*, install_formatter: bool | None = None) -> None:
    """Turn JSON logging on for the process.

    Parameters:
        install_formatter: put ``JsonLogFormatter`` on the root logger's handlers (adding one
            on standard error if there is none). Default: yes, except in Lambda's JSON log
            format, whose runtime formatter already writes JSON.
    """
    global _json_lines
    _json_lines = True
    if install_formatter is None:
        install_formatter = os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() != "JSON"
    if not install_formatter:
        return
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    for handler in root.handlers:
        handler.setFormatter(JsonLogFormatter())


def use_text_logs() -> None:
    """Turn JSON logging off: outcome lines carry their JSON as the message again."""
    global _json_lines
    _json_lines = False


def outcome_fields(result: RecordResult) -> dict[str, Any]:
    """The fields of an outcome line, in a stable order."""
    fields: dict[str, Any] = {
        "event": "job_outcome",
        "outcome": result.outcome.value,
        "job_name": result.job_name,
        "job_id": result.job_id,
        "attempt": result.attempt_number,
        "duration_ms": milliseconds(result.duration_seconds),
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
    """Log one JSON line for ``result`` (nothing is formatted when the level is disabled).

    The line is written directly when the handlers that would write it allow it
    (``outcome_lines``), else through ``logging``.
    """
    outcome = result.outcome
    level = logging.INFO if outcome is Outcome.SUCCEEDED else _LEVELS[outcome]
    if not logger.isEnabledFor(level):
        return
    if (
        outcome is Outcome.SUCCEEDED
        and result.error is None
        and result.reason is None
        and result.retry_in_seconds is None
    ):
        log_plain_success(result)
        return
    fields = outcome_fields(result)
    fields_json = json.dumps(fields, default=str)
    text = f"job {result.job_name} {outcome.value}" if _json_lines else fields_json
    if not _direct_lines.write(level, text, fields_json, _json_lines):
        _log_through_logging(level, text, fields)


def log_plain_success(result: RecordResult) -> None:
    """``log_outcome`` of a success without error, reason or retry, INFO known to be enabled:
    the worker's most common line, with nothing left to decide."""
    fields_json = succeeded_fields_json(
        result.job_name,
        result.job_id,
        result.attempt_number,
        milliseconds(result.duration_seconds),
        result.message_id,
    )
    json_lines = _json_lines
    text = f"job {result.job_name} succeeded" if json_lines else fields_json
    if not _direct_lines.write(logging.INFO, text, fields_json, json_lines):
        _log_through_logging(logging.INFO, text, outcome_fields(result))


def succeeded_line_writer() -> Callable[[RecordResult], None] | None:
    """What writes a plain success's outcome line for the rest of this thread's batch:
    ``None`` when the outcome logger's INFO is off; a direct writer when the route to the
    handlers allows one (``OutcomeLineWriter.succeeded_writer``); else ``log_plain_success``."""
    if not logger.isEnabledFor(logging.INFO):
        return None
    if _json_lines:
        return log_plain_success
    return _direct_lines.succeeded_writer() or log_plain_success


def _log_through_logging(level: int, text: str, fields: dict[str, Any]) -> None:
    # The formatter writes the line: with JSON lines the fields go at its top level.
    extra = {**fields, "glasswork": fields} if _json_lines else {"glasswork": fields}
    # makeRecord + handle is what Logger.log does, minus finding the caller's file and line by
    # walking the stack: on a line per record that walk cost more than the rest of the line.
    logger.handle(logger.makeRecord(logger.name, level, __file__, 0, text, (), None, None, extra))


def refresh_outcome_lines() -> None:
    """Read the outcome logger's handlers again (the worker does, once per batch)."""
    _direct_lines.refresh()


def hold_outcome_flushes() -> None:
    """Flush the outcome lines this thread writes directly only at ``release_outcome_flushes``
    (a batch of quick jobs: lines reach the stream together, within a millisecond)."""
    _direct_lines.hold_flushes()


def release_outcome_flushes() -> None:
    """Flush the outcome lines held since ``hold_outcome_flushes``."""
    _direct_lines.release_flushes()


# Process-wide, like logging's own configuration: the handlers the outcome lines are written to
# directly, read again at the start of every batch.
_direct_lines = OutcomeLineWriter(logger, JsonLogFormatter)
