"""Idempotency stores: what keeps a redelivered ``send_email`` job from sending twice.

The stores are ``glasswork.idempotency``'s, shared with every idempotent job, re-exported here
and, as there, imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from glasswork.idempotency.base import (
    DEFAULT_LEASE_SECONDS,
    DEFAULT_RETENTION_SECONDS,
    IdempotencyClaim,
    IdempotencyState,
    IdempotencyStore,
)
from glasswork.jobs.errors import IdempotencyStoreError
from glasswork.lazy_exports import lazy_attributes

if TYPE_CHECKING:
    from glasswork.idempotency.dynamodb import DynamoDBIdempotencyStore
    from glasswork.idempotency.memory import InMemoryIdempotencyStore

__all__ = [
    "DEFAULT_LEASE_SECONDS",
    "DEFAULT_RETENTION_SECONDS",
    "DynamoDBIdempotencyStore",
    "IdempotencyClaim",
    "IdempotencyState",
    "IdempotencyStore",
    "IdempotencyStoreError",
    "InMemoryIdempotencyStore",
]

__getattr__ = lazy_attributes(
    __name__,
    {
        "DynamoDBIdempotencyStore": "glasswork.idempotency.dynamodb",
        "InMemoryIdempotencyStore": "glasswork.idempotency.memory",
    },
    globals(),
)
