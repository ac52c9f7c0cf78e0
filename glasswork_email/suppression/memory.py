"""``InMemorySuppressionStore``: suppressions in a dict, for tests and single-process use."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from glasswork_email.suppression.base import Suppression, normalise_address

__all__ = ["InMemorySuppressionStore"]


class InMemorySuppressionStore:
    """Keeps suppressions in this process's memory. Thread-safe.

    Parameters:
        clock: the current time in epoch seconds, for counting transient bounces (default
            ``time.time``; tests pass a fake).
    """

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self._entries: dict[tuple[str, str | None], Suppression] = {}
        self._transient_bounces: dict[str, list[float]] = {}
        self._clock = clock
        self._lock = threading.Lock()
        self.reads = 0
        """How many ``find`` calls were made (one per email checked)."""

    def __repr__(self) -> str:
        return f"InMemorySuppressionStore({len(self._entries)} entries)"

    def find(self, addresses: Sequence[str], *, topic: str | None = None) -> dict[str, Suppression]:
        """The suppressions that stop mail about ``topic`` to any of ``addresses``."""
        found: dict[str, Suppression] = {}
        with self._lock:
            self.reads += 1
            for address in map(normalise_address, addresses):
                entry = self._entries.get((address, None))
                if entry is None and topic is not None:
                    entry = self._entries.get((address, topic))
                if entry is not None:
                    found[address] = entry
        return found

    def add(self, suppression: Suppression) -> None:
        """Record ``suppression``."""
        with self._lock:
            self._entries[(suppression.address, suppression.topic)] = suppression

    def remove(self, address: str, *, topic: str | None = None) -> None:
        """Delete the entry for ``address`` and ``topic``."""
        with self._lock:
            self._entries.pop((normalise_address(address), topic), None)

    def count_transient_bounce(self, address: str, *, window_seconds: float) -> int:
        """Count one transient bounce; return how many fell in the last ``window_seconds``."""
        now = self._clock()
        with self._lock:
            times = self._transient_bounces.setdefault(normalise_address(address), [])
            times[:] = [at for at in times if at > now - window_seconds]
            times.append(now)
            return len(times)

    def entries(self) -> list[Suppression]:
        """Every entry, oldest first."""
        with self._lock:
            return sorted(self._entries.values(), key=lambda entry: entry.suppressed_at)
