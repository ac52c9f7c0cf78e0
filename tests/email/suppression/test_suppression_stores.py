"""Specification shared by both suppression stores: in memory, and DynamoDB over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from glasswork.testing import LocalAWS
from glasswork_email.errors import SuppressionStoreError
from glasswork_email.suppression import (
    DynamoDBSuppressionStore,
    InMemorySuppressionStore,
    Suppression,
    SuppressionReason,
    SuppressionStore,
    normalise_address,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def count_calls(client: Any) -> list[str]:
    """The DynamoDB operations ``client`` makes, recorded through botocore's event hooks."""
    calls: list[str] = []
    client.meta.events.register(
        "before-call.dynamodb.*", lambda model, **_: calls.append(model.name)
    )
    return calls


@pytest.fixture(params=["memory", "dynamodb"])
def store(request: pytest.FixtureRequest, clock: FakeClock) -> Iterator[SuppressionStore]:
    if request.param == "memory":
        yield InMemorySuppressionStore(clock=clock)
        return
    local_aws: LocalAWS = request.getfixturevalue("local_aws")
    dynamodb = DynamoDBSuppressionStore(
        "suppressions", client=local_aws.client("dynamodb"), clock=clock
    )
    dynamodb.create_table()
    yield dynamodb


def test_addresses_are_normalised_with_a_case_insensitive_domain() -> None:
    assert normalise_address("Ann <Ann.Lee@Example.COM>") == "Ann.Lee@example.com"
    assert normalise_address("bob@EXAMPLE.org") == "bob@example.org"


def test_an_all_mail_suppression_is_found_for_any_topic_and_any_domain_case(
    store: SuppressionStore,
) -> None:
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    store.add(
        Suppression("ann@Example.com", SuppressionReason.BOUNCE, cause="Bounce", suppressed_at=when)
    )
    for topic in (None, "newsletter"):
        found = store.find(["Ann <ann@EXAMPLE.COM>", "bob@example.com"], topic=topic)
        assert list(found) == ["ann@example.com"]
        entry = found["ann@example.com"]
        assert (entry.reason, entry.topic, entry.cause) == (
            SuppressionReason.BOUNCE,
            None,
            "Bounce",
        )
        assert entry.suppressed_at == when


def test_a_topic_suppression_applies_to_that_topic_only(store: SuppressionStore) -> None:
    store.add(Suppression("ann@example.com", SuppressionReason.UNSUBSCRIBE, topic="newsletter"))
    assert (
        store.find(["ann@example.com"], topic="newsletter")["ann@example.com"].topic == "newsletter"
    )
    assert store.find(["ann@example.com"], topic="offers") == {}
    assert store.find(["ann@example.com"]) == {}, "no topic: only all-mail entries count"


def test_an_all_mail_entry_wins_over_a_topic_entry(store: SuppressionStore) -> None:
    store.add(Suppression("ann@example.com", SuppressionReason.UNSUBSCRIBE, topic="newsletter"))
    store.add(Suppression("ann@example.com", SuppressionReason.COMPLAINT))
    found = store.find(["ann@example.com"], topic="newsletter")
    assert found["ann@example.com"].reason is SuppressionReason.COMPLAINT


def test_remove_lifts_one_scope(store: SuppressionStore) -> None:
    store.add(Suppression("ann@example.com", SuppressionReason.MANUAL))
    store.add(Suppression("ann@example.com", SuppressionReason.UNSUBSCRIBE, topic="newsletter"))
    store.remove("ann@EXAMPLE.com")
    assert store.find(["ann@example.com"]) == {}
    assert store.find(["ann@example.com"], topic="newsletter") != {}


def test_transient_bounces_are_counted_within_a_window(
    store: SuppressionStore, clock: FakeClock
) -> None:
    day = 24 * 3600.0
    assert store.count_transient_bounce("ann@example.com", window_seconds=7 * day) == 1
    clock.now += day
    assert store.count_transient_bounce("ann@EXAMPLE.com", window_seconds=7 * day) == 2
    clock.now += 10 * day
    assert store.count_transient_bounce("ann@example.com", window_seconds=7 * day) == 1
    assert store.find(["ann@example.com"]) == {}, "a count is not a suppression"


def test_the_dynamodb_store_checks_fifty_recipients_with_one_batch_get_item(
    local_aws: LocalAWS,
) -> None:
    client = local_aws.client("dynamodb")
    store = DynamoDBSuppressionStore("suppressions", client=client)
    store.create_table()
    store.add(Suppression("r7@example.com", SuppressionReason.BOUNCE))
    calls = count_calls(client)
    found = store.find([f"r{i}@example.com" for i in range(50)], topic="newsletter")
    assert list(found) == ["r7@example.com"]
    assert calls == ["BatchGetItem"]


def test_an_unreachable_table_is_a_transient_error(local_aws: LocalAWS) -> None:
    store = DynamoDBSuppressionStore("missing", client=local_aws.client("dynamodb"))
    with pytest.raises(SuppressionStoreError, match="missing"):
        store.find(["ann@example.com"])
