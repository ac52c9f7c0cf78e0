"""Idempotency stores: what keeps a redelivered ``send_email`` job from sending twice.

The stores are ``glasswork.idempotency``'s, shared with every idempotent job, re-exported here.
"""

from glasswork.idempotency.base import (
    DEFAULT_LEASE_SECONDS,
    DEFAULT_RETENTION_SECONDS,
    IdempotencyClaim,
    IdempotencyState,
    IdempotencyStore,
)
from glasswork.idempotency.dynamodb import DynamoDBIdempotencyStore
from glasswork.idempotency.memory import InMemoryIdempotencyStore
from glasswork.jobs.errors import IdempotencyStoreError

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
