"""``InMemoryIdempotencyStore``; it lives in ``glasswork.idempotency.memory``."""

from glasswork.idempotency.memory import (
    InMemoryIdempotencyStore,
)

__all__ = [
    "InMemoryIdempotencyStore",
]
