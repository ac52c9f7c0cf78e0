"""Idempotency stores: what keeps a redelivered ``send_email`` job from sending twice."""

from glasswork_email.idempotency.base import (
    DEFAULT_LEASE_SECONDS,
    DEFAULT_RETENTION_SECONDS,
    IdempotencyClaim,
    IdempotencyState,
    IdempotencyStore,
)
from glasswork_email.idempotency.dynamodb import DynamoDBIdempotencyStore
from glasswork_email.idempotency.memory import InMemoryIdempotencyStore

__all__ = [
    "DEFAULT_LEASE_SECONDS",
    "DEFAULT_RETENTION_SECONDS",
    "DynamoDBIdempotencyStore",
    "IdempotencyClaim",
    "IdempotencyState",
    "IdempotencyStore",
    "InMemoryIdempotencyStore",
]
