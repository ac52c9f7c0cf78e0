"""The idempotency store protocol; it lives in ``glasswork.idempotency.base``."""

from glasswork.idempotency.base import (
    DEFAULT_LEASE_SECONDS,
    DEFAULT_RETENTION_SECONDS,
    IdempotencyClaim,
    IdempotencyState,
    IdempotencyStore,
)

__all__ = [
    "DEFAULT_LEASE_SECONDS",
    "DEFAULT_RETENTION_SECONDS",
    "IdempotencyClaim",
    "IdempotencyState",
    "IdempotencyStore",
]
