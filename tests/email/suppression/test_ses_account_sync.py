"""Specification of the sync with SES's account-level suppression list (over HTTP)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from ses_suppression_list import SuppressionList, ses_suppression_list

from glasswork_email.suppression import (
    InMemorySuppressionStore,
    SESAccountSyncedStore,
    Suppression,
    SuppressionReason,
)


@pytest.fixture
def ses_list() -> Iterator[tuple[SuppressionList, Any]]:
    with ses_suppression_list() as (state, endpoint):
        client = boto3.client(
            "sesv2",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        yield state, client


def test_all_mail_bounces_and_complaints_are_mirrored_to_ses_and_topics_are_not(
    ses_list: tuple[SuppressionList, Any],
) -> None:
    state, client = ses_list
    store = SESAccountSyncedStore(InMemorySuppressionStore(), client=client)
    store.add(Suppression("ann@Example.com", SuppressionReason.BOUNCE))
    store.add(Suppression("bob@example.com", SuppressionReason.COMPLAINT))
    store.add(Suppression("cy@example.com", SuppressionReason.UNSUBSCRIBE, topic="newsletter"))
    store.add(Suppression("di@example.com", SuppressionReason.MANUAL))
    assert {a: e["Reason"] for a, e in state.entries.items()} == {
        "ann@example.com": "BOUNCE",
        "bob@example.com": "COMPLAINT",
    }
    assert set(store.find(["ann@example.com", "cy@example.com"], topic="newsletter")) == {
        "ann@example.com",
        "cy@example.com",
    }
    assert "GetSuppressedDestination" not in state.calls, "no SES call on the sending path"


def test_removing_lifts_the_ses_entry_too_and_a_missing_one_is_fine(
    ses_list: tuple[SuppressionList, Any],
) -> None:
    state, client = ses_list
    store = SESAccountSyncedStore(InMemorySuppressionStore(), client=client)
    store.add(Suppression("ann@example.com", SuppressionReason.BOUNCE))
    store.remove("ann@example.com")
    store.remove("never@example.com")
    assert state.entries == {}
    assert store.find(["ann@example.com"]) == {}


def test_ses_entries_can_be_imported(ses_list: tuple[SuppressionList, Any]) -> None:
    state, client = ses_list
    state.entries["eve@example.com"] = {
        "EmailAddress": "eve@example.com",
        "Reason": "COMPLAINT",
        "LastUpdateTime": 1_767_225_600,
    }
    inner = InMemorySuppressionStore()
    store = SESAccountSyncedStore(inner, client=client)
    imported = store.import_from_ses("eve@example.com")
    assert imported is not None and imported.reason is SuppressionReason.COMPLAINT
    assert inner.find(["eve@example.com"])["eve@example.com"].cause == (
        "SES account-level suppression list"
    )
    assert store.import_from_ses("nobody@example.com") is None
