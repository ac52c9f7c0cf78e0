"""The error classes of the job system, each with a message a user can act on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "DuplicateJobError",
    "IdempotencyStoreError",
    "InvalidDelayError",
    "InvalidJobDefinitionError",
    "InvalidJobPayloadError",
    "JobError",
    "PayloadTooLargeError",
    "PermanentJobError",
    "QueueSendError",
    "RetryExhaustedError",
    "SchedulerNotConfiguredError",
    "TransientJobError",
    "UnknownQueueError",
]


class JobError(Exception):
    """Base class of every error raised by Glasswork's job system."""


class PermanentJobError(JobError):
    """Raised by a handler when retrying cannot help: the job is dead-lettered at once.

    Parameters:
        message: what went wrong, kept with the dead-lettered message.
    """


class TransientJobError(JobError):
    """Raised by a handler when the job should be retried, optionally after a set delay.

    Parameters:
        message: what went wrong.
        retry_after: seconds to wait before the next attempt; ``None`` lets the job's
            retry policy choose (exponential backoff with jitter).
    """

    def __init__(self, message: str = "", *, retry_after: float | None = None) -> None:
        super().__init__(message)
        if retry_after is not None and retry_after < 0:
            raise ValueError(f"retry_after must be >= 0 seconds, got {retry_after}")
        self.retry_after = retry_after


class IdempotencyStoreError(TransientJobError):
    """The idempotency store could not be read or written; the job is retried.

    Parameters:
        message: what failed, with the store's own words.
    """


class RetryExhaustedError(JobError):
    """The job failed on its last allowed attempt.

    Parameters:
        job_name: the job that failed.
        attempts: how many attempts were made.
        last_error: the error of the last attempt.
    """

    def __init__(self, job_name: str, attempts: int, last_error: BaseException) -> None:
        super().__init__(
            f"job {job_name!r} failed {attempts} time(s), retries exhausted; "
            f"last error: {type(last_error).__name__}: {last_error}"
        )
        self.job_name = job_name
        self.attempts = attempts
        self.last_error = last_error


class InvalidJobDefinitionError(JobError, ValueError):
    """A job, periodic job or retry policy was defined with invalid settings."""


class DuplicateJobError(JobError):
    """Two job definitions share one name."""


class InvalidJobPayloadError(JobError, ValueError):
    """A payload does not match its job's schema.

    Parameters:
        job_name: the job whose schema rejected the payload.
        errors: pydantic's error list (``ValidationError.errors()``).
    """

    def __init__(self, job_name: str, errors: Sequence[Any]) -> None:
        self.job_name = job_name
        self.errors = list(errors)
        details = "; ".join(_describe_field_error(error) for error in self.errors)
        super().__init__(f"invalid payload for job {job_name!r}: {details}")


def _describe_field_error(error: Any) -> str:
    location = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.get("loc", ())
    ).lstrip(".")
    return f"{location or '<payload>'}: {error.get('msg', 'invalid')}"


class PayloadTooLargeError(JobError, ValueError):
    """The message for a job is larger than the queue accepts.

    Parameters:
        job_name: the job being enqueued.
        size_bytes: the size of the message (body and attributes), in bytes.
        limit_bytes: the largest size allowed, in bytes.
    """

    def __init__(self, job_name: str, size_bytes: int, limit_bytes: int) -> None:
        super().__init__(
            f"message for job {job_name!r} is {size_bytes:,} bytes, "
            f"over the limit of {limit_bytes:,} bytes"
        )
        self.job_name = job_name
        self.size_bytes = size_bytes
        self.limit_bytes = limit_bytes


class InvalidDelayError(JobError, ValueError):
    """A delay or a time given to ``enqueue_in``/``enqueue_at`` cannot be understood."""


class UnknownQueueError(JobError, LookupError):
    """A job names a queue that the queue driver has no URL for."""


class SchedulerNotConfiguredError(JobError):
    """A delivery needs EventBridge Scheduler but the driver has no ``SchedulerConfig``."""


class QueueSendError(JobError):
    """The queue refused a message.

    Parameters:
        code: the error code AWS returned (e.g. ``InvalidParameterValue``).
        message: AWS's message.
        sender_fault: whether AWS blamed the request rather than itself.
    """

    def __init__(self, code: str, message: str, *, sender_fault: bool = False) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.sender_fault = sender_fault
