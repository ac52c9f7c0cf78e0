"""``SendRateLimiter``: keeps one process under a provider's messages-per-second quota."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["SendRateLimiter"]


class SendRateLimiter:
    """A token bucket: ``acquire()`` blocks until one more message may be sent. Thread-safe.

    The limit holds per process. With Lambda, give each worker the account's SES maximum send
    rate divided by the worker function's reserved concurrency.

    Parameters:
        messages_per_second: the sustained rate allowed (> 0).
        burst: messages that may go at once after a quiet spell (default 1: evenly spaced).
        clock: a monotonic clock in seconds (default ``time.monotonic``; tests pass a fake).
        sleep: how to wait, in seconds (default ``time.sleep``).
    """

    def __init__(
        self,
        messages_per_second: float,
        *,
        burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not messages_per_second > 0:
            raise ValueError(f"messages_per_second must be > 0, got {messages_per_second}")
        if burst < 1:
            raise ValueError(f"burst must be >= 1, got {burst}")
        self.messages_per_second = messages_per_second
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._interval_seconds = 1.0 / messages_per_second
        self._lock = threading.Lock()
        # The earliest time the bucket is full again; a slot is taken by pushing it forward.
        self._full_at = clock()

    def acquire(self) -> float:
        """Wait for a slot; return the seconds waited."""
        with self._lock:
            now = self._clock()
            full_at = max(self._full_at, now)
            # The bucket holds `burst` slots: the slot taken now may start up to
            # (burst - 1) intervals before the bucket would be full.
            start = max(now, full_at - (self.burst - 1) * self._interval_seconds)
            self._full_at = full_at + self._interval_seconds
            wait_seconds = start - now
        if wait_seconds > 0:
            self._sleep(wait_seconds)
        return max(wait_seconds, 0.0)
