"""What the DynamoDB-backed stores share: a client made on first use, and making their table."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

__all__ = ["LazyDynamoDBClient", "create_on_demand_table"]


class LazyDynamoDBClient:
    """A ``dynamodb`` boto3 client, made on first use (boto3 stays off the import path) and
    shared by threads.

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
