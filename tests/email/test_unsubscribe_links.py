"""Specification of signed one-click unsubscribe links, their headers and their handler."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from glasswork.testing import LocalAWS
from glasswork_email.service import TemplatedEmailService
from glasswork_email.suppression import DynamoDBSuppressionStore, SuppressionReason
from glasswork_email.transports.mime import mime_bytes
from glasswork_email.transports.mock import MockTransport
from glasswork_email.unsubscribe import InvalidUnsubscribeTokenError, UnsubscribeLinks
from glasswork_email.unsubscribe_handler import UnsubscribeHandler

KEY = "k" * 32
BASE_URL = "https://app.example/unsubscribe"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def links(clock: Clock) -> UnsubscribeLinks:
    return UnsubscribeLinks(KEY, BASE_URL, ttl_seconds=3600, clock=clock)


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


def test_a_link_names_its_recipient_and_topic_and_verifies(links: UnsubscribeLinks) -> None:
    url = links.url_for("Ann <ann@Example.COM>", "newsletter")
    assert url.startswith(f"{BASE_URL}?token=")
    wanted = links.verify(token_of(url))
    assert (wanted.recipient, wanted.topic) == ("ann@example.com", "newsletter")


@pytest.mark.parametrize(
    ("tamper", "status"),
    [
        (lambda t: t[:-2] + ("AA" if t[-2:] != "AA" else "BB"), 403),
        (lambda t: "Y" + t[1:] if t[0] != "Y" else "Z" + t[1:], 403),
        (lambda t: t.split(".")[0], 400),
        (lambda t: "", 400),
        (lambda t: "é" + t, 400),
    ],
)
def test_tampered_or_malformed_tokens_are_refused(
    links: UnsubscribeLinks, tamper: Callable[[str], str], status: int
) -> None:
    token = token_of(links.url_for("ann@example.com", "newsletter"))
    with pytest.raises(InvalidUnsubscribeTokenError) as refused:
        links.verify(tamper(token))
    assert refused.value.status == status


def test_a_token_for_another_key_is_refused(links: UnsubscribeLinks, clock: Clock) -> None:
    other = UnsubscribeLinks("x" * 32, BASE_URL, clock=clock)
    with pytest.raises(InvalidUnsubscribeTokenError) as refused:
        links.verify(token_of(other.url_for("ann@example.com", "newsletter")))
    assert refused.value.status == 403


def test_an_expired_link_is_refused(links: UnsubscribeLinks, clock: Clock) -> None:
    token = token_of(links.url_for("ann@example.com", "newsletter"))
    clock.now += 3601
    with pytest.raises(InvalidUnsubscribeTokenError, match="expired") as refused:
        links.verify(token)
    assert refused.value.status == 403


def test_a_short_key_or_an_http_base_url_is_refused_at_start_up() -> None:
    with pytest.raises(ValueError, match="at least 32"):
        UnsubscribeLinks("short", BASE_URL)
    with pytest.raises(ValueError, match="https"):
        UnsubscribeLinks(KEY, "http://app.example/unsubscribe")
    assert KEY not in repr(UnsubscribeLinks(KEY, BASE_URL))


def test_an_email_with_a_topic_gets_signed_one_click_headers(
    links: UnsubscribeLinks, templates: Any, welcome_email: Callable[..., Any]
) -> None:
    transport = MockTransport()
    service = TemplatedEmailService(
        transport, templates, from_="App <hello@app.example>", unsubscribe_links=links
    )
    service.send(welcome_email(topic="newsletter"))
    service.send(welcome_email())
    with_topic, without = transport.sent
    assert without.unsubscribe_url is None
    assert with_topic.unsubscribe_url is not None
    assert links.verify(token_of(with_topic.unsubscribe_url)).topic == "newsletter"
    mime = email.message_from_bytes(mime_bytes(with_topic), policy=email.policy.default)
    assert mime["List-Unsubscribe"] == f"<{with_topic.unsubscribe_url}>"
    assert mime["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def http_event(method: str, token: str, body: str = "") -> dict[str, Any]:
    return {
        "version": "2.0",
        "rawQueryString": f"token={token}",
        "headers": {"content-type": "application/x-www-form-urlencoded"},
        "requestContext": {"http": {"method": method}},
        "body": body,
        "isBase64Encoded": False,
    }


@pytest.fixture
def store(local_aws: LocalAWS) -> DynamoDBSuppressionStore:
    store = DynamoDBSuppressionStore("suppressions", client=local_aws.client("dynamodb"))
    store.create_table()
    return store


def test_one_click_post_writes_a_topic_suppression_that_the_next_send_honours(
    links: UnsubscribeLinks,
    store: DynamoDBSuppressionStore,
    templates: Any,
    welcome_email: Callable[..., Any],
) -> None:
    handler = UnsubscribeHandler(links, store, brand="Shop")
    token = token_of(links.url_for("ann@example.com", "newsletter"))
    response = handler(http_event("POST", token, "List-Unsubscribe=One-Click"))
    assert response["statusCode"] == 200
    [suppression] = store.find(["ann@example.com"], topic="newsletter").values()
    assert (suppression.reason, suppression.topic) == (SuppressionReason.UNSUBSCRIBE, "newsletter")
    assert suppression.cause == "one-click unsubscribe"

    service = TemplatedEmailService(
        MockTransport(), templates, from_="App <hello@app.example>", suppression_store=store
    )
    assert service.send(welcome_email(topic="newsletter")).outcome == "suppressed"
    assert service.send(welcome_email(topic="newsletter", transactional=True)).outcome == "sent"


def test_get_shows_a_confirmation_page_and_writes_nothing(
    links: UnsubscribeLinks, store: DynamoDBSuppressionStore
) -> None:
    handler = UnsubscribeHandler(links, store)
    token = token_of(links.url_for("ann@example.com", "<script>alert(1)</script>"))
    response = handler(http_event("GET", token))
    assert response["statusCode"] == 200
    assert response["headers"]["Content-Type"].startswith("text/html")
    assert '<form method="post"' in response["body"]
    assert "&lt;script&gt;" in response["body"] and "<script>" not in response["body"]
    assert store.find(["ann@example.com"], topic="<script>alert(1)</script>") == {}


@pytest.mark.parametrize(("token", "status"), [("garbage", 400), ("", 400)])
def test_bad_tokens_get_an_error_page_and_write_nothing(
    links: UnsubscribeLinks, store: DynamoDBSuppressionStore, token: str, status: int
) -> None:
    handler = UnsubscribeHandler(links, store)
    assert handler(http_event("POST", token))["statusCode"] == status


def test_tampered_and_expired_tokens_get_403(
    links: UnsubscribeLinks, store: DynamoDBSuppressionStore, clock: Clock
) -> None:
    handler = UnsubscribeHandler(links, store)
    token = token_of(links.url_for("ann@example.com", "newsletter"))
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert handler(http_event("POST", tampered))["statusCode"] == 403
    clock.now += 7200
    assert handler(http_event("POST", token))["statusCode"] == 403
    assert store.find(["ann@example.com"], topic="newsletter") == {}


def test_rest_api_events_are_understood_too(
    links: UnsubscribeLinks, store: DynamoDBSuppressionStore
) -> None:
    handler = UnsubscribeHandler(links, store)
    token = token_of(links.url_for("bob@example.com", "offers"))
    event = {"httpMethod": "POST", "queryStringParameters": {"token": token}, "body": None}
    assert handler(event)["statusCode"] == 200
    assert store.find(["bob@example.com"], topic="offers") != {}
