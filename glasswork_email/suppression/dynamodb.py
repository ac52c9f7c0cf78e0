"""``DynamoDBSuppressionStore``: suppressions in a DynamoDB table, read once per email.

One item per address and scope::

    address        (S, partition key)  the normalised address
    scope          (S, sort key)       "*" for all mail, "topic:<name>" for one topic,
                                       "transient-bounces" for the soft-bounce counter
    reason         (S)  bounce, complaint, unsubscribe or manual
    suppressed_at  (N)  epoch seconds
    cause          (S)  what caused it (optional)
    bounces        (N)  the counter item: transient bounces in the current window
    window_start   (N)  the counter item: when its window began, epoch seconds
    expires_at     (N)  the counter item: TTL, the end of its window

Checking an email's recipients is one ``BatchGetItem`` of (address, "*") and, for a topic,
(address, "topic:<name>") for every recipient: at most 100 keys, SES's 50 recipients times 2.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from glasswork.dynamodb_tables import DynamoDBTableStore
from glasswork_email.errors import SuppressionStoreError
from glasswork_email.suppression.base import Suppression, SuppressionReason, normalise_address

__all__ = ["ALL_MAIL_SCOPE", "DynamoDBSuppressionStore"]

ALL_MAIL_SCOPE = "*"
"""The sort key of an all-mail suppression."""

_TRANSIENT_SCOPE = "transient-bounces"
# UnprocessedKeys only come back under throttling; a few rounds settle them.
_BATCH_ROUNDS = 5


def _scope(topic: str | None) -> str:
    return ALL_MAIL_SCOPE if topic is None else f"topic:{topic}"


class DynamoDBSuppressionStore(DynamoDBTableStore):
    """Keeps suppressions in a DynamoDB table (partition key ``address``, sort key ``scope``).

    ``create_table`` makes the table, for tests and local development; ``warm_up`` makes the
    client ahead of the first read (``bootstrap_worker`` calls it at init). Thread-safe.

    Parameters:
        table_name: the table's name.
        client: a ready ``dynamodb`` boto3 client (default: one made on first use from
            ``region`` and ``endpoint_url``).
        region: the table's AWS region (default: boto3's configured region).
        endpoint_url: a different DynamoDB endpoint, e.g. a local emulator (default: AWS's).
        clock: the current time in epoch seconds (default ``time.time``).
    """

    TABLE_KEYS = (("address", "HASH"), ("scope", "RANGE"))

    def find(self, addresses: Sequence[str], *, topic: str | None = None) -> dict[str, Suppression]:
        """The suppressions that stop mail about ``topic`` to any of ``addresses``.

        One ``BatchGetItem`` (more only when DynamoDB returns unprocessed keys). Raises
        ``SuppressionStoreError`` when DynamoDB cannot be read.
        """
        scopes = [ALL_MAIL_SCOPE] if topic is None else [ALL_MAIL_SCOPE, _scope(topic)]
        normalised = sorted(set(map(normalise_address, addresses)))
        keys: list[Any] = [
            {"address": {"S": address}, "scope": {"S": scope}}
            for address in normalised
            for scope in scopes
        ]
        items: list[dict[str, Any]] = []
        for _round in range(_BATCH_ROUNDS):
            if not keys:
                break
            try:
                response = self.client.batch_get_item(
                    RequestItems={self.table_name: {"Keys": keys}}
                )
            except (ClientError, BotoCoreError) as error:
                raise SuppressionStoreError(
                    f"could not read suppressions from table {self.table_name!r}: {error}"
                ) from error
            items.extend(response.get("Responses", {}).get(self.table_name, []))
            unprocessed: Any = response.get("UnprocessedKeys", {}).get(self.table_name)
            keys = list(unprocessed["Keys"]) if unprocessed else []
        if keys:
            raise SuppressionStoreError(
                f"table {self.table_name!r} left {len(keys)} suppression keys unprocessed"
            )
        found: dict[str, Suppression] = {}
        # All-mail entries first, so they win over a topic entry of the same address.
        for item in sorted(items, key=lambda item: item["scope"]["S"] != ALL_MAIL_SCOPE):
            suppression = _suppression_of(item)
            found.setdefault(suppression.address, suppression)
        return found

    def add(self, suppression: Suppression) -> None:
        """Record ``suppression``; raises ``SuppressionStoreError`` when DynamoDB fails."""
        item: dict[str, Any] = {
            "address": {"S": suppression.address},
            "scope": {"S": _scope(suppression.topic)},
            "reason": {"S": suppression.reason.value},
            "suppressed_at": {"N": f"{suppression.suppressed_at.timestamp():.3f}"},
        }
        if suppression.cause:
            item["cause"] = {"S": suppression.cause}
        self._call("write", lambda: self.client.put_item(TableName=self.table_name, Item=item))

    def remove(self, address: str, *, topic: str | None = None) -> None:
        """Delete the entry for ``address`` and ``topic``."""
        key: Any = {"address": {"S": normalise_address(address)}, "scope": {"S": _scope(topic)}}
        self._call("delete", lambda: self.client.delete_item(TableName=self.table_name, Key=key))

    def count_transient_bounce(self, address: str, *, window_seconds: float) -> int:
        """Count one transient bounce; return how many fell in the current window.

        The window starts at the first bounce counted and lasts ``window_seconds``; a bounce
        after it starts a new window. One ``UpdateItem`` (two when a new window starts).
        """
        now = self._clock()
        key: Any = {"address": {"S": normalise_address(address)}, "scope": {"S": _TRANSIENT_SCOPE}}
        try:
            response = self.client.update_item(
                TableName=self.table_name,
                Key=key,
                UpdateExpression="ADD #bounces :one",
                ConditionExpression="#window_start > :cutoff",
                ExpressionAttributeNames={"#bounces": "bounces", "#window_start": "window_start"},
                ExpressionAttributeValues={
                    ":one": {"N": "1"},
                    ":cutoff": {"N": f"{now - window_seconds:.3f}"},
                },
                ReturnValues="UPDATED_NEW",
            )
            attributes: Any = response["Attributes"]
            return int(attributes["bounces"]["N"])
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise _store_error("count a bounce in", self.table_name, error) from error
        except BotoCoreError as error:
            raise _store_error("count a bounce in", self.table_name, error) from error
        item: Any = {
            **key,
            "bounces": {"N": "1"},
            "window_start": {"N": f"{now:.3f}"},
            "expires_at": {"N": str(int(now + window_seconds))},
        }
        self._call("write", lambda: self.client.put_item(TableName=self.table_name, Item=item))
        return 1

    def _call(self, action: str, call: Callable[[], object]) -> None:
        try:
            call()
        except (ClientError, BotoCoreError) as error:
            raise _store_error(action, self.table_name, error) from error


def _store_error(action: str, table: str, error: Exception) -> SuppressionStoreError:
    return SuppressionStoreError(f"could not {action} suppression table {table!r}: {error}")


def _suppression_of(item: dict[str, Any]) -> Suppression:
    scope = item["scope"]["S"]
    return Suppression(
        address=item["address"]["S"],
        reason=SuppressionReason(item.get("reason", {}).get("S", SuppressionReason.MANUAL.value)),
        topic=None if scope == ALL_MAIL_SCOPE else scope.removeprefix("topic:"),
        suppressed_at=datetime.fromtimestamp(
            float(item.get("suppressed_at", {}).get("N", "0")), UTC
        ),
        cause=item.get("cause", {}).get("S"),
    )
