"""``DynamoDBIdempotencyStore``; it lives in ``glasswork.idempotency.dynamodb``."""

from glasswork.idempotency.dynamodb import (
    DynamoDBIdempotencyStore,
)

__all__ = [
    "DynamoDBIdempotencyStore",
]
