"""The DynamoDB-backed stores' shared client: made on first use, or ahead of need by
``warm_up``, on the local AWS server (the worker's init calling it: ``test_ses_feedback_loop``)."""

from __future__ import annotations

from collections import Counter

from glasswork.dynamodb_tables import LazyDynamoDBClient
from glasswork.testing import LocalAWS


def test_the_client_is_made_once_by_warm_up_and_then_reused(
    local_aws: LocalAWS, clients_made: Counter[str]
) -> None:
    lazy = LazyDynamoDBClient(endpoint_url=local_aws.endpoint_url)
    assert not lazy.is_made and clients_made["dynamodb"] == 0
    lazy.warm_up()
    assert lazy.is_made and clients_made["dynamodb"] == 1
    client = lazy.get()
    lazy.warm_up()
    assert lazy.get() is client and clients_made["dynamodb"] == 1
    assert "TableNames" in client.list_tables()


def test_a_given_client_is_used_and_nothing_is_made(
    local_aws: LocalAWS, clients_made: Counter[str]
) -> None:
    given = local_aws.client("dynamodb")
    made_before = clients_made["dynamodb"]
    lazy = LazyDynamoDBClient(given)
    lazy.warm_up()
    assert lazy.get() is given and clients_made["dynamodb"] == made_before
