"""The idempotency store protocol and its states: how a side effect (a send, a charge) is
claimed, completed or released.

A job first ``claim``s a key. The store answers with one of three states:

- ``ACQUIRED``: nobody did this yet; the caller now holds a lease and does it.
- ``IN_PROGRESS``: another attempt holds a live lease; the caller retries after it ends.
- ``COMPLETED``: it was done; the caller does nothing.

Afterwards the holder calls ``complete``; after a failure it calls ``release``, so the next
attempt need not wait for the lease to run out. A lease that runs out (the holder crashed or
was stopped midway) may be taken over by the next claim. ``send_email`` and every job defined
with ``define_job(..., idempotent=True)`` use it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = [
    "DEFAULT_LEASE_SECONDS",
    "DEFAULT_RETENTION_SECONDS",
    "IdempotencyClaim",
    "IdempotencyState",
    "IdempotencyStore",
]

DEFAULT_LEASE_SECONDS = 120.0
"""How long a claim keeps other attempts away, in seconds: longer than one render and send
(the SES client gives up after about 65 s), short enough that a crashed attempt delays the
email by minutes, not hours."""

DEFAULT_RETENTION_SECONDS = 14 * 24 * 3600
"""How long a record is kept, in seconds: 14 days, SQS's longest message retention, so no
redelivery or dead-letter redrive of the job can outlive the record that stops it."""


class IdempotencyState(enum.Enum):
    """What a claim found."""

    ACQUIRED = "acquired"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


@dataclass(frozen=True)
class IdempotencyClaim:
    """The answer to ``IdempotencyStore.claim``.

    Parameters:
        key: the key claimed.
        state: ``ACQUIRED``, ``IN_PROGRESS`` or ``COMPLETED``.
        owner: the token of the attempt holding the lease (this caller's when ``ACQUIRED``);
            pass it to ``complete``/``release``.
        lease_remaining_seconds: for ``IN_PROGRESS``, seconds until the other attempt's lease
            runs out (default 0).
        result: for ``COMPLETED``, what was recorded, e.g. the provider's message id.
    """

    key: str
    state: IdempotencyState
    owner: str | None = None
    lease_remaining_seconds: float = 0.0
    result: str | None = None


@runtime_checkable
class IdempotencyStore(Protocol):
    """Records which side effects happened, so a redelivered job does not repeat them."""

    def claim(self, key: str, *, lease_seconds: float = DEFAULT_LEASE_SECONDS) -> IdempotencyClaim:
        """Take the lease on ``key`` unless it is completed or leased by a live attempt."""
        ...

    def complete(self, key: str, owner: str, *, result: str | None = None) -> None:
        """Record that the send under ``key`` happened (whoever holds the lease now)."""
        ...

    def release(self, key: str, owner: str) -> None:
        """Give up the lease on ``key`` if ``owner`` still holds it, after a failed send."""
        ...
