"""Specification of the sync with SES's account-level suppression list, both ways, through a
boto3 ``sesv2`` client over HTTP on the local AWS server."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.config import Config

from glasswork.testing import LocalAWS
from glasswork_email.errors import SuppressionStoreError
from glasswork_email.suppression import (
    DynamoDBSuppressionStore,
    InMemorySuppressionStore,
    SESAccountSyncedStore,
    Suppression,
    SuppressionReason,
)
from glasswork_email.suppression.ses_account import SES_ACCOUNT_LIST_CAUSE


class CallLog:
    """The SES operations a client called (botocore's own event hooks, nothing patched)."""

    def __init__(self, client: Any) -> None:
        self.operations: list[str] = []
        client.meta.events.register("before-call.sesv2", self._record)

    def _record(self, model: Any, **kwargs: Any) -> None:
        self.operations.append(model.name)


@pytest.fixture
def ses(local_aws: LocalAWS) -> Any:
    return local_aws.client("sesv2")


def ses_list(ses: Any) -> dict[str, str]:
    page = ses.list_suppressed_destinations()
    return {e["EmailAddress"]: e["Reason"] for e in page["SuppressedDestinationSummaries"]}


def test_all_mail_bounces_and_complaints_are_mirrored_to_ses_and_topics_are_not(
    ses: Any,
) -> None:
    calls = CallLog(ses)
    store = SESAccountSyncedStore(InMemorySuppressionStore(), client=ses)
    store.add(Suppression("ann@Example.com", SuppressionReason.BOUNCE))
    store.add(Suppression("bob@example.com", SuppressionReason.COMPLAINT))
    store.add(Suppression("cy@example.com", SuppressionReason.UNSUBSCRIBE, topic="newsletter"))
    store.add(Suppression("di@example.com", SuppressionReason.MANUAL))
    assert ses_list(ses) == {"ann@example.com": "BOUNCE", "bob@example.com": "COMPLAINT"}

    calls.operations.clear()
    assert set(store.find(["ann@example.com", "cy@example.com"], topic="newsletter")) == {
        "ann@example.com",
        "cy@example.com",
    }
    assert calls.operations == [], "no SES call on the sending path"


def test_removing_lifts_the_ses_entry_too_and_a_missing_one_is_fine(ses: Any) -> None:
    store = SESAccountSyncedStore(InMemorySuppressionStore(), client=ses)
    store.add(Suppression("ann@example.com", SuppressionReason.BOUNCE))
    store.add(Suppression("bob@example.com", SuppressionReason.BOUNCE))
    store.remove("Ann <ann@EXAMPLE.com>")
    store.remove("never@example.com")
    assert ses_list(ses) == {"bob@example.com": "BOUNCE"}
    assert store.find(["ann@example.com"]) == {}


def test_one_ses_entry_can_be_imported(ses: Any) -> None:
    ses.put_suppressed_destination(EmailAddress="eve@example.com", Reason="COMPLAINT")
    inner = InMemorySuppressionStore()
    store = SESAccountSyncedStore(inner, client=ses)
    imported = store.import_from_ses("Eve <eve@EXAMPLE.com>")
    assert imported is not None and imported.reason is SuppressionReason.COMPLAINT
    found = inner.find(["eve@example.com"])["eve@example.com"]
    assert found.cause == SES_ACCOUNT_LIST_CAUSE
    assert abs(found.suppressed_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert store.import_from_ses("nobody@example.com") is None


def test_every_ses_entry_is_imported_page_by_page(ses: Any) -> None:
    for number in range(1203):  # more than one page of 1000
        ses.put_suppressed_destination(
            EmailAddress=f"user{number:04}@example.com",
            Reason="COMPLAINT" if number % 2 else "BOUNCE",
        )
    inner = InMemorySuppressionStore()
    calls = CallLog(ses)
    imported = SESAccountSyncedStore(inner, client=ses).import_all_from_ses()
    assert len(imported) == 1203
    assert calls.operations == ["ListSuppressedDestinations"] * 2
    found = inner.find(["user0000@example.com", "user1202@example.com", "user0001@example.com"])
    assert {a: s.reason for a, s in found.items()} == {
        "user0000@example.com": SuppressionReason.BOUNCE,
        "user1202@example.com": SuppressionReason.BOUNCE,
        "user0001@example.com": SuppressionReason.COMPLAINT,
    }
    later = datetime.now(UTC) + timedelta(hours=1)
    assert SESAccountSyncedStore(inner, client=ses).import_all_from_ses(since=later) == []


def test_an_ses_error_is_a_suppression_store_error_naming_the_action(
    local_aws: LocalAWS,
) -> None:
    elsewhere = local_aws.client(
        "sesv2",
        endpoint_url="http://127.0.0.1:9",
        config=Config(retries={"mode": "standard", "max_attempts": 1}),
    )
    store = SESAccountSyncedStore(InMemorySuppressionStore(), client=elsewhere)
    with pytest.raises(SuppressionStoreError, match="could not list SES's account-level"):
        store.import_all_from_ses()


def test_warm_up_makes_the_ses_client_and_the_wrapped_stores_client_once(
    local_aws: LocalAWS, monkeypatch: pytest.MonkeyPatch, clients_made: Counter[str]
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", local_aws.endpoint_url)
    inner = DynamoDBSuppressionStore("suppressions", region="us-east-1")
    store = SESAccountSyncedStore(inner, region="us-east-1")
    store.warm_up()
    store.warm_up()
    assert (clients_made["sesv2"], clients_made["dynamodb"]) == (1, 1)
    inner.create_table()
    store.add(Suppression("ann@example.com", SuppressionReason.BOUNCE))
    assert ses_list(store.client) == {"ann@example.com": "BOUNCE"}
    assert (clients_made["sesv2"], clients_made["dynamodb"]) == (1, 1)
