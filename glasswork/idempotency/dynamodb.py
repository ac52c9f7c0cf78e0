"""``DynamoDBIdempotencyStore``: idempotency records in a DynamoDB table, shared by all workers.

One item per key::

    id                (S, partition key)  the idempotency key, with the store's key_prefix
    state             (S)  "in_progress" or "completed"
    owner             (S)  the token of the attempt that claimed it
    lease_expires_at  (N)  epoch seconds; an in-progress item past it may be taken over
    expires_at        (N)  epoch seconds; DynamoDB's TTL deletes the item some time after it
    result            (S)  the provider's message id, once completed

A claim is one conditional ``PutItem``: it succeeds when no live item exists, when the item has
expired (TTL deletes lazily, so expiry is checked, not assumed) or when an in-progress lease ran
out. Otherwise DynamoDB returns the existing item with the failure, telling the state in one call.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from glasswork.dynamodb_tables import DynamoDBTableStore
from glasswork.idempotency.base import (
    DEFAULT_LEASE_SECONDS,
    DEFAULT_RETENTION_SECONDS,
    IdempotencyClaim,
    IdempotencyState,
)
from glasswork.jobs.errors import IdempotencyStoreError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

__all__ = ["DynamoDBIdempotencyStore"]

logger = logging.getLogger(__name__)

_KEY = "id"
_CLAIM_CONDITION = (
    "attribute_not_exists(#id) OR #expires_at < :now "
    "OR (#state = :in_progress AND #lease_expires_at < :now)"
)
_NAMES = {
    "#id": _KEY,
    "#state": "state",
    "#expires_at": "expires_at",
    "#lease_expires_at": "lease_expires_at",
}
# A claim races at most with a delete or an expiry; a few rounds settle it.
_CLAIM_ROUNDS = 3


class DynamoDBIdempotencyStore(DynamoDBTableStore):
    """Keeps idempotency records in a DynamoDB table (partition key ``id``, a string).

    Enable TTL on the ``expires_at`` attribute so old records go away; ``create_table`` does
    both, for tests and local development; ``warm_up`` makes the client ahead of the first
    claim (``bootstrap_worker`` calls it at init). Thread-safe.

    Parameters:
        table_name: the table's name.
        client: a ready ``dynamodb`` boto3 client (default: one made on first use from
            ``region`` and ``endpoint_url``).
        region: the table's AWS region (default: boto3's configured region).
        endpoint_url: a different DynamoDB endpoint, e.g. a local emulator (default: AWS's).
        key_prefix: put before every key, so several apps can share a table (default ``""``).
        retention_seconds: how long a record is kept (default 14 days).
        clock: the current time in epoch seconds (default ``time.time``; tests pass a fake).
    """

    TABLE_KEYS = ((_KEY, "HASH"),)

    def __init__(
        self,
        table_name: str,
        *,
        client: DynamoDBClient | None = None,
        region: str | None = None,
        endpoint_url: str | None = None,
        key_prefix: str = "",
        retention_seconds: float = DEFAULT_RETENTION_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(
            table_name, client=client, region=region, endpoint_url=endpoint_url, clock=clock
        )
        self.key_prefix = key_prefix
        self.retention_seconds = retention_seconds

    def claim(self, key: str, *, lease_seconds: float = DEFAULT_LEASE_SECONDS) -> IdempotencyClaim:
        """Take the lease on ``key`` unless it is completed or leased by a live attempt.

        Raises ``IdempotencyStoreError`` (transient) when DynamoDB cannot be reached.
        """
        for _round in range(_CLAIM_ROUNDS):
            now = self._clock()
            owner = uuid.uuid4().hex
            try:
                self.client.put_item(
                    TableName=self.table_name,
                    Item={
                        _KEY: {"S": self.key_prefix + key},
                        "state": {"S": IdempotencyState.IN_PROGRESS.value},
                        "owner": {"S": owner},
                        "lease_expires_at": {"N": _number(now + lease_seconds)},
                        "expires_at": {"N": str(int(now + self.retention_seconds))},
                    },
                    ConditionExpression=_CLAIM_CONDITION,
                    ExpressionAttributeNames=_NAMES,
                    ExpressionAttributeValues={
                        ":now": {"N": _number(now)},
                        ":in_progress": {"S": IdempotencyState.IN_PROGRESS.value},
                    },
                    ReturnValuesOnConditionCheckFailure="ALL_OLD",
                )
                return IdempotencyClaim(key, IdempotencyState.ACQUIRED, owner)
            except ClientError as error:
                if _code(error) != "ConditionalCheckFailedException":
                    raise self._store_error("claim", key, error) from error
                returned: Any = error.response.get("Item")
            except BotoCoreError as error:
                raise self._store_error("claim", key, error) from error
            existing = returned or self._get(key)
            if existing:
                return _claim_from_item(key, existing, now)
        raise IdempotencyStoreError(
            f"could not claim idempotency key {key!r} in table {self.table_name!r}: "
            "the item changed on every attempt"
        )

    def _get(self, key: str) -> dict[str, Any] | None:
        try:
            response = self.client.get_item(
                TableName=self.table_name,
                Key={_KEY: {"S": self.key_prefix + key}},
                ConsistentRead=True,
            )
        except (ClientError, BotoCoreError) as error:
            raise self._store_error("read", key, error) from error
        item: dict[str, Any] | None = response.get("Item")
        return item

    def complete(self, key: str, owner: str, *, result: str | None = None) -> None:
        """Record that the send under ``key`` happened.

        Raises ``IdempotencyStoreError`` when DynamoDB cannot be written.
        """
        now = self._clock()
        item: dict[str, Any] = {
            _KEY: {"S": self.key_prefix + key},
            "state": {"S": IdempotencyState.COMPLETED.value},
            "owner": {"S": owner},
            "lease_expires_at": {"N": _number(now)},
            "expires_at": {"N": str(int(now + self.retention_seconds))},
        }
        if result is not None:
            item["result"] = {"S": result}
        try:
            self.client.put_item(TableName=self.table_name, Item=item)
        except (ClientError, BotoCoreError) as error:
            raise self._store_error("complete", key, error) from error

    def release(self, key: str, owner: str) -> None:
        """Delete the in-progress item of ``key`` if ``owner`` still holds it.

        Raises ``IdempotencyStoreError`` when DynamoDB cannot be written.
        """
        try:
            self.client.delete_item(
                TableName=self.table_name,
                Key={_KEY: {"S": self.key_prefix + key}},
                ConditionExpression="#owner = :owner AND #state = :in_progress",
                ExpressionAttributeNames={"#owner": "owner", "#state": "state"},
                ExpressionAttributeValues={
                    ":owner": {"S": owner},
                    ":in_progress": {"S": IdempotencyState.IN_PROGRESS.value},
                },
            )
        except ClientError as error:
            if _code(error) == "ConditionalCheckFailedException":
                logger.debug("idempotency key %r was taken over; not released", key)
                return
            raise self._store_error("release", key, error) from error
        except BotoCoreError as error:
            raise self._store_error("release", key, error) from error

    def _store_error(self, action: str, key: str, error: Exception) -> IdempotencyStoreError:
        return IdempotencyStoreError(
            f"could not {action} idempotency key {key!r} in DynamoDB table "
            f"{self.table_name!r}: {error}"
        )


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _number(seconds: float) -> str:
    return f"{seconds:.3f}"


def _claim_from_item(key: str, item: dict[str, Any], now: float) -> IdempotencyClaim:
    state = item.get("state", {}).get("S")
    owner = item.get("owner", {}).get("S")
    if state == IdempotencyState.COMPLETED.value:
        return IdempotencyClaim(
            key, IdempotencyState.COMPLETED, owner, result=item.get("result", {}).get("S")
        )
    lease_expires_at = float(item.get("lease_expires_at", {}).get("N", "0"))
    return IdempotencyClaim(
        key,
        IdempotencyState.IN_PROGRESS,
        owner,
        lease_remaining_seconds=max(lease_expires_at - now, 0.0),
    )
