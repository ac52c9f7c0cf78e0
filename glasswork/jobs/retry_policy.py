"""How often a failed job is tried again, how long to wait between tries, and what happens last."""

from __future__ import annotations

import random
from dataclasses import dataclass

from glasswork.jobs.errors import InvalidJobDefinitionError

__all__ = [
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_MAX_BACKOFF_SECONDS",
    "DEFAULT_MIN_BACKOFF_SECONDS",
    "SQS_MAX_VISIBILITY_TIMEOUT_SECONDS",
    "RetryPolicy",
]

DEFAULT_MAX_ATTEMPTS = 25
"""Attempts (the first one included) before a job is dead-lettered, when none is given."""

DEFAULT_MIN_BACKOFF_SECONDS = 10.0
"""Backoff before the second attempt, in seconds; it doubles on every further attempt."""

DEFAULT_MAX_BACKOFF_SECONDS = 3600.0
"""Longest backoff between two attempts, in seconds (25 attempts then span about 18 hours,
well inside SQS's default 4-day retention)."""

SQS_MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200
"""SQS's ceiling for a message's visibility timeout (12 hours), in seconds."""


@dataclass(frozen=True)
class RetryPolicy:
    """Retry settings of one job.

    Parameters:
        max_attempts: attempts in all, the first one included (default 25); 1 means no retry.
        dead: after the last attempt, send the message to the dead-letter queue (default
            ``True``); ``False`` discards it with a log line.
        min_backoff_seconds: backoff before attempt 2, in seconds (default 10); doubles for
            each later attempt.
        max_backoff_seconds: cap on the backoff, in seconds (default 3600; at most 43,200,
            SQS's longest visibility timeout).
    """

    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    dead: bool = True
    min_backoff_seconds: float = DEFAULT_MIN_BACKOFF_SECONDS
    max_backoff_seconds: float = DEFAULT_MAX_BACKOFF_SECONDS

    def __post_init__(self) -> None:
        if isinstance(self.max_attempts, bool) or self.max_attempts < 1:
            raise InvalidJobDefinitionError(
                f"RetryPolicy.max_attempts must be a whole number >= 1, got {self.max_attempts!r}"
            )
        if self.min_backoff_seconds < 0:
            raise InvalidJobDefinitionError(
                f"RetryPolicy.min_backoff_seconds must be >= 0, got {self.min_backoff_seconds}"
            )
        if not self.min_backoff_seconds <= self.max_backoff_seconds:
            raise InvalidJobDefinitionError(
                "RetryPolicy.max_backoff_seconds must be >= min_backoff_seconds, got "
                f"{self.max_backoff_seconds} < {self.min_backoff_seconds}"
            )
        if self.max_backoff_seconds > SQS_MAX_VISIBILITY_TIMEOUT_SECONDS:
            raise InvalidJobDefinitionError(
                "RetryPolicy.max_backoff_seconds must be <= 43200 (SQS's 12-hour visibility "
                f"limit), got {self.max_backoff_seconds}"
            )

    @classmethod
    def from_option(cls, retry: RetryPolicy | int | bool | None) -> RetryPolicy:
        """Turn ``define_job``'s ``retry`` option into a policy.

        ``None`` (or ``True``): 25 attempts then dead-letter. An int ``n``: ``n`` attempts in all
        then dead-letter. ``False``: one attempt, then discard.
        """
        if retry is None or retry is True:
            return cls()
        if retry is False:
            return cls(max_attempts=1, dead=False)
        if isinstance(retry, int):
            return cls(max_attempts=retry)
        if isinstance(retry, RetryPolicy):
            return retry
        raise InvalidJobDefinitionError(
            f"retry must be None, an int, False or a RetryPolicy, got {type(retry).__name__}"
        )

    def has_attempts_left(self, attempt_number: int) -> bool:
        """Whether another attempt may follow attempt ``attempt_number`` (1-based)."""
        return attempt_number < self.max_attempts

    def backoff_seconds(self, attempt_number: int, *, rng: random.Random | None = None) -> int:
        """Seconds to wait after failed attempt ``attempt_number``: exponential, equal jitter.

        The wait is drawn between half and all of ``min_backoff * 2**(attempt - 1)`` (capped at
        ``max_backoff``), so retries of many jobs that failed together spread out.
        """
        exponent = min(max(attempt_number - 1, 0), 32)
        ceiling = min(self.max_backoff_seconds, self.min_backoff_seconds * 2.0**exponent)
        draw: float = (rng or random).random()
        return round(ceiling / 2 + draw * ceiling / 2)
