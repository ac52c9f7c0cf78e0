"""``InMemoryIdempotencyStore``: the idempotency store for tests and single-process apps."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable

from glasswork.idempotency.base import (
    DEFAULT_LEASE_SECONDS,
    DEFAULT_RETENTION_SECONDS,
    IdempotencyClaim,
    IdempotencyState,
)

__all__ = ["InMemoryIdempotencyStore"]


class _Record:
    # A plain class, not a dataclass: it is private, and a dataclass costs a cold start about
    # half a millisecond to build its methods.
    __slots__ = ("expires_at", "lease_expires_at", "owner", "result", "state")

    def __init__(
        self,
        state: IdempotencyState,
        owner: str,
        lease_expires_at: float,
        expires_at: float,
        result: str | None = None,
    ) -> None:
        self.state = state
        self.owner = owner
        self.lease_expires_at = lease_expires_at
        self.expires_at = expires_at
        self.result = result


class InMemoryIdempotencyStore:
    """Keeps idempotency records in this process's memory. Thread-safe.

    Deduplicates only within one process: a Lambda worker needs ``DynamoDBIdempotencyStore``,
    since a redelivery may land on another instance.

    Parameters:
        retention_seconds: how long a record is kept (default 14 days).
        clock: the current time in seconds (default ``time.time``; tests pass a fake).
    """

    def __init__(
        self,
        *,
        retention_seconds: float = DEFAULT_RETENTION_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.retention_seconds = retention_seconds
        self._clock = clock
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    def claim(self, key: str, *, lease_seconds: float = DEFAULT_LEASE_SECONDS) -> IdempotencyClaim:
        """Take the lease on ``key`` unless it is completed or leased by a live attempt."""
        now = self._clock()
        with self._lock:
            record = self._records.get(key)
            if record is not None and record.expires_at > now:
                if record.state is IdempotencyState.COMPLETED:
                    return IdempotencyClaim(
                        key, IdempotencyState.COMPLETED, record.owner, result=record.result
                    )
                if record.lease_expires_at > now:
                    return IdempotencyClaim(
                        key,
                        IdempotencyState.IN_PROGRESS,
                        record.owner,
                        lease_remaining_seconds=record.lease_expires_at - now,
                    )
            owner = uuid.uuid4().hex
            self._records[key] = _Record(
                IdempotencyState.IN_PROGRESS,
                owner,
                lease_expires_at=now + lease_seconds,
                expires_at=now + self.retention_seconds,
            )
            return IdempotencyClaim(key, IdempotencyState.ACQUIRED, owner)

    def complete(self, key: str, owner: str, *, result: str | None = None) -> None:
        """Record that the send under ``key`` happened."""
        now = self._clock()
        with self._lock:
            self._records[key] = _Record(
                IdempotencyState.COMPLETED,
                owner,
                lease_expires_at=now,
                expires_at=now + self.retention_seconds,
                result=result,
            )

    def release(self, key: str, owner: str) -> None:
        """Forget the in-progress record of ``key`` if ``owner`` still holds it."""
        with self._lock:
            record = self._records.get(key)
            if (
                record is not None
                and record.owner == owner
                and record.state is IdempotencyState.IN_PROGRESS
            ):
                del self._records[key]

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)
