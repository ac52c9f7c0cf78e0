"""``Ignored``: what a handler returns when it chose not to do its work, which is no failure.

A handler that finds its work does not apply (the email's every recipient is suppressed, the
order was cancelled meanwhile) returns ``Ignored("reason")`` instead of ``None``. The worker
acknowledges the message as it does a success — no retry, no dead letter — and reports the
outcome ``"ignored"`` with that reason in the outcome line, the metrics (``Ignored``) and the
hooks (``on_job_complete``'s ``event.outcome`` and ``event.reason``).

A value rather than an exception: an exception would read as a failure to the idempotency
guard (which would release the claim instead of completing it) and to a handler's own
``except Exception`` blocks, and the handler's return type lets a type checker see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["IGNORED_REASON_MAX_LENGTH", "Ignored"]

IGNORED_REASON_MAX_LENGTH = 64
"""Longest reason, in characters: it is a label for log queries, not a message."""


# A pattern, not a compiled regex: re compiles (and caches) it with the first Ignored, not at
# import, as most workers never make one.
_REASON = r"[a-z0-9][a-z0-9_.-]*"


@dataclass(frozen=True, slots=True)
class Ignored:
    """Returned by a handler that chose not to do its work: acknowledged, reported ``ignored``.

    Parameters:
        reason: why, as a short machine-readable label (lower-case letters, digits, ``_ . -``;
            at most 64 characters), e.g. ``"suppressed"``; it becomes the outcome line's
            ``reason`` and the hooks' ``event.reason``.
    """

    reason: str

    def __post_init__(self) -> None:
        if (
            not isinstance(self.reason, str)
            or len(self.reason) > IGNORED_REASON_MAX_LENGTH
            or not re.fullmatch(_REASON, self.reason)
        ):
            raise ValueError(
                f"Ignored reason must be a label of lower-case letters, digits and _ . - "
                f"(at most {IGNORED_REASON_MAX_LENGTH} characters), got {self.reason!r}"
            )
