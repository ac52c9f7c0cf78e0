"""The local AWS server answers SES v2's account-level suppression list operations over HTTP,
with the API's shapes and errors (``glasswork.testing.ses_suppression_list``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from glasswork.testing import LocalAWS


@pytest.fixture
def ses(local_aws: LocalAWS) -> Any:
    return local_aws.client("sesv2")


def error_of(call: Any, **parameters: Any) -> tuple[int, str]:
    with pytest.raises(ClientError) as raised:
        call(**parameters)
    response = raised.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"]


def all_addresses(ses: Any, **filters: Any) -> list[str]:
    addresses: list[str] = []
    while True:
        page = ses.list_suppressed_destinations(**filters)
        addresses += [entry["EmailAddress"] for entry in page["SuppressedDestinationSummaries"]]
        if "NextToken" not in page:
            return addresses
        filters["NextToken"] = page["NextToken"]


def test_an_address_put_is_got_with_its_reason_and_time_and_deleted(ses: Any) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    ses.put_suppressed_destination(EmailAddress="ann@example.com", Reason="BOUNCE")
    entry = ses.get_suppressed_destination(EmailAddress="ann@example.com")["SuppressedDestination"]
    assert (entry["EmailAddress"], entry["Reason"]) == ("ann@example.com", "BOUNCE")
    assert before <= entry["LastUpdateTime"] <= datetime.now(UTC) + timedelta(seconds=1)

    ses.put_suppressed_destination(EmailAddress="ann@example.com", Reason="COMPLAINT")
    again = ses.get_suppressed_destination(EmailAddress="ann@example.com")["SuppressedDestination"]
    assert again["Reason"] == "COMPLAINT", "putting again replaces the reason"

    ses.delete_suppressed_destination(EmailAddress="ann@example.com")
    assert error_of(ses.get_suppressed_destination, EmailAddress="ann@example.com") == (
        404,
        "NotFoundException",
    )


def test_addresses_match_with_their_exact_case_as_in_ses(ses: Any) -> None:
    ses.put_suppressed_destination(EmailAddress="Ann@Example.com", Reason="BOUNCE")
    assert error_of(ses.get_suppressed_destination, EmailAddress="ann@example.com")[1] == (
        "NotFoundException"
    )
    assert all_addresses(ses) == ["Ann@Example.com"]


@pytest.mark.parametrize(
    ("operation", "parameters", "expected"),
    [
        ("put", {"EmailAddress": "ann@example.com", "Reason": "UNSUBSCRIBE"}, "BadRequest"),
        ("put", {"EmailAddress": "not an address", "Reason": "BOUNCE"}, "BadRequest"),
        ("put", {"EmailAddress": "a@b.c", "Reason": "BOUNCE", "TenantName": "t"}, "NotFound"),
        ("delete", {"EmailAddress": "nobody@example.com"}, "NotFound"),
        ("list", {"Reasons": ["SPAM"]}, "BadRequest"),
        ("list", {"PageSize": 0}, "BadRequest"),
        ("list", {"PageSize": 1001}, "BadRequest"),
        ("list", {"NextToken": "not-a-token"}, "InvalidNextToken"),
    ],
)
def test_bad_requests_get_the_apis_errors(
    ses: Any, operation: str, parameters: dict[str, Any], expected: str
) -> None:
    name = {"put": "put_suppressed_destination", "delete": "delete_suppressed_destination"}
    call = getattr(ses, name.get(operation, "list_suppressed_destinations"))
    status, code = error_of(call, **parameters)
    assert code == f"{expected}Exception"
    assert status == (404 if expected == "NotFound" else 400)


def test_listing_filters_by_reason_and_date_and_pages_with_a_token(ses: Any) -> None:
    for number in range(5):
        ses.put_suppressed_destination(EmailAddress=f"b{number}@example.com", Reason="BOUNCE")
    ses.put_suppressed_destination(EmailAddress="c@example.com", Reason="COMPLAINT")

    first = ses.list_suppressed_destinations(PageSize=2)
    assert [e["EmailAddress"] for e in first["SuppressedDestinationSummaries"]] == [
        "b0@example.com",
        "b1@example.com",
    ]
    assert set(first["SuppressedDestinationSummaries"][0]) == {
        "EmailAddress",
        "Reason",
        "LastUpdateTime",
    }
    assert len(all_addresses(ses, PageSize=2)) == 6
    assert all_addresses(ses, Reasons=["COMPLAINT"]) == ["c@example.com"]
    assert len(all_addresses(ses, Reasons=["BOUNCE", "COMPLAINT"])) == 6
    hour = timedelta(hours=1)
    assert len(all_addresses(ses, StartDate=datetime.now(UTC) - hour)) == 6
    assert all_addresses(ses, StartDate=datetime.now(UTC) + hour) == []
    assert all_addresses(ses, EndDate=datetime.now(UTC) - hour) == []


def test_each_account_and_region_has_its_own_list_and_reset_empties_them(
    local_aws: LocalAWS, ses: Any
) -> None:
    ses.put_suppressed_destination(EmailAddress="ann@example.com", Reason="BOUNCE")
    assert all_addresses(local_aws.client("sesv2", region_name="eu-west-1")) == []
    local_aws.reset()
    assert all_addresses(ses) == []
