"""Specification shared by every idempotency store: the in-memory one and DynamoDB's (on the
local AWS emulator), both driven by a fake clock."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from glasswork.testing import LocalAWS
from glasswork_email.errors import IdempotencyStoreError
from glasswork_email.idempotency import (
    DynamoDBIdempotencyStore,
    IdempotencyState,
    IdempotencyStore,
    InMemoryIdempotencyStore,
)

RETENTION_SECONDS = 3600


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def memory_store(clock: FakeClock, local_aws: LocalAWS) -> IdempotencyStore:
    return InMemoryIdempotencyStore(retention_seconds=RETENTION_SECONDS, clock=clock)


def dynamodb_store(clock: FakeClock, local_aws: LocalAWS) -> IdempotencyStore:
    store = DynamoDBIdempotencyStore(
        "email-idempotency",
        region="us-east-1",
        endpoint_url=local_aws.endpoint_url,
        retention_seconds=RETENTION_SECONDS,
        clock=clock,
    )
    store.create_table()
    return store


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=[memory_store, dynamodb_store], ids=["memory", "dynamodb"])
def store(
    request: pytest.FixtureRequest, clock: FakeClock, local_aws: LocalAWS
) -> IdempotencyStore:
    make: Callable[[FakeClock, LocalAWS], IdempotencyStore] = request.param
    return make(clock, local_aws)


def test_the_first_claim_acquires_the_key(store: IdempotencyStore) -> None:
    claim = store.claim("job-1", lease_seconds=60)
    assert claim.state is IdempotencyState.ACQUIRED
    assert claim.owner


def test_a_second_claim_during_the_lease_is_told_how_long_to_wait(
    store: IdempotencyStore, clock: FakeClock
) -> None:
    store.claim("job-1", lease_seconds=60)
    clock.now += 20
    claim = store.claim("job-1", lease_seconds=60)
    assert claim.state is IdempotencyState.IN_PROGRESS
    assert claim.lease_remaining_seconds == pytest.approx(40, abs=0.01)


def test_an_expired_lease_is_taken_over(store: IdempotencyStore, clock: FakeClock) -> None:
    first = store.claim("job-1", lease_seconds=60)
    clock.now += 61
    second = store.claim("job-1", lease_seconds=60)
    assert second.state is IdempotencyState.ACQUIRED
    assert second.owner != first.owner


def test_a_completed_key_is_reported_with_its_result_and_never_acquired_again(
    store: IdempotencyStore, clock: FakeClock
) -> None:
    claim = store.claim("job-1", lease_seconds=60)
    assert claim.owner is not None
    store.complete("job-1", claim.owner, result="ses-message-1")
    clock.now += 600  # long after any lease
    again = store.claim("job-1", lease_seconds=60)
    assert again.state is IdempotencyState.COMPLETED
    assert again.result == "ses-message-1"


def test_a_completed_key_expires_after_the_retention_time(
    store: IdempotencyStore, clock: FakeClock
) -> None:
    claim = store.claim("job-1", lease_seconds=60)
    assert claim.owner is not None
    store.complete("job-1", claim.owner, result="ses-message-1")
    clock.now += RETENTION_SECONDS + 1
    assert store.claim("job-1", lease_seconds=60).state is IdempotencyState.ACQUIRED


def test_a_released_key_can_be_claimed_at_once(store: IdempotencyStore) -> None:
    claim = store.claim("job-1", lease_seconds=60)
    assert claim.owner is not None
    store.release("job-1", claim.owner)
    assert store.claim("job-1", lease_seconds=60).state is IdempotencyState.ACQUIRED


def test_release_by_an_attempt_whose_lease_was_taken_over_changes_nothing(
    store: IdempotencyStore, clock: FakeClock
) -> None:
    stale = store.claim("job-1", lease_seconds=60)
    clock.now += 61
    store.claim("job-1", lease_seconds=60)
    assert stale.owner is not None
    store.release("job-1", stale.owner)
    assert store.claim("job-1", lease_seconds=60).state is IdempotencyState.IN_PROGRESS


def test_keys_are_independent(store: IdempotencyStore) -> None:
    store.claim("job-1", lease_seconds=60)
    assert store.claim("job-2", lease_seconds=60).state is IdempotencyState.ACQUIRED


def test_of_many_concurrent_claims_exactly_one_acquires(store: IdempotencyStore) -> None:
    states: list[IdempotencyState] = []
    lock = threading.Lock()

    def claim() -> None:
        state = store.claim("job-1", lease_seconds=60).state
        with lock:
            states.append(state)

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert states.count(IdempotencyState.ACQUIRED) == 1
    assert states.count(IdempotencyState.IN_PROGRESS) == 7


def test_dynamodb_items_carry_state_owner_lease_and_a_ttl_expiry(
    local_aws: LocalAWS, clock: FakeClock
) -> None:
    store = dynamodb_store(clock, local_aws)
    assert isinstance(store, DynamoDBIdempotencyStore)
    client: Any = local_aws.client("dynamodb")
    ttl = client.describe_time_to_live(TableName="email-idempotency")
    assert ttl["TimeToLiveDescription"]["AttributeName"] == "expires_at"

    claim = store.claim("job-1", lease_seconds=60)
    item = client.get_item(TableName="email-idempotency", Key={"id": {"S": "job-1"}})["Item"]
    assert item["state"] == {"S": "in_progress"}
    assert item["owner"] == {"S": claim.owner}
    assert float(item["lease_expires_at"]["N"]) == pytest.approx(clock.now + 60)
    assert int(item["expires_at"]["N"]) == int(clock.now + RETENTION_SECONDS)

    assert claim.owner is not None
    store.complete("job-1", claim.owner, result="ses-1")
    item = client.get_item(TableName="email-idempotency", Key={"id": {"S": "job-1"}})["Item"]
    assert item["state"] == {"S": "completed"}
    assert item["result"] == {"S": "ses-1"}


def test_dynamodb_key_prefix_separates_apps_sharing_a_table(
    local_aws: LocalAWS, clock: FakeClock
) -> None:
    first = dynamodb_store(clock, local_aws)
    assert isinstance(first, DynamoDBIdempotencyStore)
    second = DynamoDBIdempotencyStore(
        "email-idempotency", client=first.client, key_prefix="billing:", clock=clock
    )
    first.claim("job-1", lease_seconds=60)
    assert second.claim("job-1", lease_seconds=60).state is IdempotencyState.ACQUIRED


def test_a_missing_table_is_a_store_error_that_retries_the_job(local_aws: LocalAWS) -> None:
    store = DynamoDBIdempotencyStore(
        "no-such-table", region="us-east-1", endpoint_url=local_aws.endpoint_url
    )
    with pytest.raises(IdempotencyStoreError, match="no-such-table"):
        store.claim("job-1")
