"""Idempotency stores: what keeps a redelivered job from repeating its side effect.

``send_email`` and jobs defined with ``define_job(..., idempotent=True)`` claim a key in the
app's ``idempotency_store`` provider. The stores are imported on first use, so importing the
protocol does not import botocore.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from glasswork.idempotency.base import (
    DEFAULT_LEASE_SECONDS,
    DEFAULT_RETENTION_SECONDS,
    IdempotencyClaim,
    IdempotencyState,
    IdempotencyStore,
)
from glasswork.jobs.errors import IdempotencyStoreError

if TYPE_CHECKING:
    from glasswork.idempotency.dynamodb import DynamoDBIdempotencyStore
    from glasswork.idempotency.memory import InMemoryIdempotencyStore

_STORES = {
    "DynamoDBIdempotencyStore": "glasswork.idempotency.dynamodb",
    "InMemoryIdempotencyStore": "glasswork.idempotency.memory",
}

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


def __getattr__(name: str) -> Any:
    if name in _STORES:
        return getattr(importlib.import_module(_STORES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
