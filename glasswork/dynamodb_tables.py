"""What the DynamoDB-backed stores share: a client made on first use (or warmed up ahead of
need), the table's name, and making the table.

``DynamoDBTableStore`` is the base of ``DynamoDBIdempotencyStore`` and
``DynamoDBSuppressionStore``; boto3 is imported only when the client is made, so it stays off
the import path of a worker that never touches a table.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

__all__ = ["DynamoDBTableStore", "LazyDynamoDBClient", "create_on_demand_table"]


class LazyDynamoDBClient:
    """A ``dynamodb`` boto3 client, made on first use or by ``warm_up`` (boto3 stays off the
    import path until then) and shared by threads.

    Parameters:
        client: a ready client (default: one made from ``region`` and ``endpoint_url``).
        region: the AWS region (default: boto3's configured region).
        endpoint_url: a different DynamoDB endpoint, e.g. a local emulator (default: AWS's).
    """

    def __init__(
        self,
        client: DynamoDBClient | None = None,
        *,
        region: str | None = None,
        endpoint_url: str | None = None,
    ) -> None:
        self._client = client
        self.region = region
        self.endpoint_url = endpoint_url
        self._lock = threading.Lock()

    @property
    def is_made(self) -> bool:
        """Whether the client exists (given, made on use, or warmed up)."""
        return self._client is not None

    def get(self) -> DynamoDBClient:
        """The client, made on the first call."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    import boto3

                    self._client = boto3.client(
                        "dynamodb", region_name=self.region, endpoint_url=self.endpoint_url
                    )
        return self._client

    def warm_up(self) -> None:
        """Make the client now, ahead of the first request (the worker's init phase calls the
        stores' ``warm_up``, which calls this); later calls do nothing."""
        self.get()


class DynamoDBTableStore:
    """The base of a store kept in one DynamoDB table: its name, its lazy client, ``warm_up``
    and ``create_table``.

    Subclasses set ``TABLE_KEYS``, the table's ``(attribute, "HASH" | "RANGE")`` string keys.

    Parameters:
        table_name: the table's name.
        client: a ready ``dynamodb`` boto3 client (default: one made on first use from
            ``region`` and ``endpoint_url``).
        region: the table's AWS region (default: boto3's configured region).
        endpoint_url: a different DynamoDB endpoint, e.g. a local emulator (default: AWS's).
        clock: the current time in epoch seconds (default ``time.time``; tests pass a fake).
    """

    TABLE_KEYS: ClassVar[Sequence[tuple[str, str]]] = ()

    def __init__(
        self,
        table_name: str,
        *,
        client: DynamoDBClient | None = None,
        region: str | None = None,
        endpoint_url: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.table_name = table_name
        self._clock = clock
        self._client = LazyDynamoDBClient(client, region=region, endpoint_url=endpoint_url)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(table_name={self.table_name!r})"

    @property
    def client(self) -> DynamoDBClient:
        """The ``dynamodb`` client, made on first use."""
        return self._client.get()

    def warm_up(self) -> None:
        """Make the client now (``bootstrap_worker`` calls this in Lambda's init phase, so the
        first batch does not pay for it)."""
        self._client.warm_up()

    def create_table(self) -> None:
        """Create the table (on-demand capacity) with TTL on ``expires_at``, and wait for it."""
        create_on_demand_table(self.client, self.table_name, self.TABLE_KEYS)


def create_on_demand_table(
    client: DynamoDBClient,
    table_name: str,
    keys: Sequence[tuple[str, str]],
    *,
    ttl_attribute: str = "expires_at",
) -> None:
    """Create an on-demand table keyed by string attributes, wait for it, and turn on TTL.

    Parameters:
        client: the ``dynamodb`` client.
        table_name: the table's name.
        keys: ``(attribute name, "HASH" | "RANGE")`` pairs, all of type string.
        ttl_attribute: the epoch-seconds attribute DynamoDB's TTL reads (default
            ``"expires_at"``).
    """
    key_schema: Any = [{"AttributeName": name, "KeyType": kind} for name, kind in keys]
    definitions: Any = [{"AttributeName": name, "AttributeType": "S"} for name, _kind in keys]
    client.create_table(
        TableName=table_name,
        KeySchema=key_schema,
        AttributeDefinitions=definitions,
        BillingMode="PAY_PER_REQUEST",
    )
    client.get_waiter("table_exists").wait(TableName=table_name)
    client.update_time_to_live(
        TableName=table_name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl_attribute},
    )
