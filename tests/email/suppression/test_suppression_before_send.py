"""Specification of the suppression check ``TemplatedEmailService`` makes before every send."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glasswork_email.service import SendResult, TemplatedEmailService
from glasswork_email.suppression import InMemorySuppressionStore, Suppression, SuppressionReason
from glasswork_email.transports.mock import MockTransport

SENDER = "App <hello@app.example>"


@pytest.fixture
def store() -> InMemorySuppressionStore:
    return InMemorySuppressionStore()


@pytest.fixture
def transport() -> MockTransport:
    return MockTransport()


def make_service(
    transport: MockTransport, templates: Any, store: InMemorySuppressionStore | None, **options: Any
) -> TemplatedEmailService:
    return TemplatedEmailService(
        transport, templates, from_=SENDER, suppression_store=store, **options
    )


def test_suppressed_recipients_are_dropped_and_the_rest_receive_the_email(
    transport: MockTransport,
    templates: Any,
    store: InMemorySuppressionStore,
    welcome_email: Callable[..., Any],
) -> None:
    store.add(Suppression("bounced@example.com", SuppressionReason.BOUNCE))
    service = make_service(transport, templates, store)
    result = service.send(
        welcome_email(
            to=["ann@example.com", "Bounced <bounced@Example.COM>"], cc=["bounced@example.com"]
        )
    )
    assert result.outcome == "sent"
    assert [s.address for s in result.suppressed] == ["bounced@example.com"]
    assert transport.last is not None
    assert transport.last.recipients == ("ann@example.com",)
    assert store.reads == 1, "one read per email"


def test_an_email_whose_recipients_are_all_suppressed_is_not_sent_and_hooks_see_it(
    transport: MockTransport,
    templates: Any,
    store: InMemorySuppressionStore,
    welcome_email: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    store.add(Suppression("ann@example.com", SuppressionReason.COMPLAINT))
    seen: list[SendResult] = []
    service = make_service(transport, templates, store, on_sent=lambda r, m: seen.append(r))
    with caplog.at_level("INFO", logger="glasswork_email.service"):
        result = service.send(welcome_email(), idempotency_key="job-1")
    assert transport.sent == []
    assert (result.outcome, result.message_id, result.idempotency_key) == (
        "suppressed",
        "",
        "job-1",
    )
    assert seen == [result]
    assert "every recipient is suppressed (ann@example.com: complaint)" in caplog.text


def test_a_topic_unsubscribe_stops_that_topic_but_not_transactional_mail(
    transport: MockTransport,
    templates: Any,
    store: InMemorySuppressionStore,
    welcome_email: Callable[..., Any],
) -> None:
    store.add(Suppression("ann@example.com", SuppressionReason.UNSUBSCRIBE, topic="newsletter"))
    service = make_service(transport, templates, store)
    assert service.send(welcome_email(topic="newsletter")).outcome == "suppressed"
    assert service.send(welcome_email(topic="offers")).outcome == "sent"
    assert service.send(welcome_email(topic="newsletter", transactional=True)).outcome == "sent"
    assert len(transport.sent) == 2


def test_transactional_mail_still_honours_all_mail_suppressions(
    transport: MockTransport,
    templates: Any,
    store: InMemorySuppressionStore,
    welcome_email: Callable[..., Any],
) -> None:
    store.add(Suppression("ann@example.com", SuppressionReason.BOUNCE))
    service = make_service(transport, templates, store)
    assert service.send(welcome_email(transactional=True)).outcome == "suppressed"


def test_without_a_store_nothing_is_read_and_everything_is_sent(
    transport: MockTransport, templates: Any, welcome_email: Callable[..., Any]
) -> None:
    service = make_service(transport, templates, None)
    assert service.suppressions_for(welcome_email()) == {}
    assert service.send(welcome_email()).outcome == "sent"


def test_the_message_carries_the_sending_context_for_ses_events(
    transport: MockTransport, templates: Any, welcome_email: Callable[..., Any]
) -> None:
    service = make_service(transport, templates, None)
    service.send(welcome_email(), idempotency_key="job-42")
    service.send(welcome_email(), idempotency_key="order:42/confirmation")
    first, second = transport.sent
    assert first.tags["template"] == "welcome"
    assert first.tags["idempotency_key"] == "job-42"
    assert first.headers["X-Glasswork-Idempotency-Key"] == "job-42"
    assert "idempotency_key" not in second.tags, "':' and '/' are not SES tag characters"
    assert second.headers["X-Glasswork-Idempotency-Key"] == "order:42/confirmation"
