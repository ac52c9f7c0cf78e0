"""Specification of ``EmailService`` and ``TemplatedEmailService`` (on ``MockTransport``)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from glasswork.jobs.errors import PermanentJobError
from glasswork.testing import LocalAWS
from glasswork_email.errors import InvalidEmailMessageError, UnknownTemplateError
from glasswork_email.message import EmailMessage
from glasswork_email.service import EmailService, SendResult, TemplatedEmailService
from glasswork_email.suppression import DynamoDBSuppressionStore
from glasswork_email.transports.mock import MockTransport

SENDER = "App <hello@app.example>"


@pytest.fixture
def transport() -> MockTransport:
    return MockTransport()


def plain(**overrides: Any) -> EmailMessage:
    fields: dict[str, Any] = {"to": "ann@example.com", "subject": "Hi", "text": "Hello"}
    fields.update(overrides)
    return EmailMessage(**fields)


def test_send_message_fills_in_the_default_sender_and_reply_to(transport: MockTransport) -> None:
    service = EmailService(transport, from_=SENDER, reply_to="support@app.example")
    result = service.send_message(plain())
    assert result.message_id == "mock-1"
    assert transport.last is not None
    assert transport.last.from_ == SENDER
    assert transport.last.reply_to == ("support@app.example",)


def test_a_message_sender_and_reply_to_win_over_the_defaults(transport: MockTransport) -> None:
    service = EmailService(transport, from_=SENDER, reply_to="support@app.example")
    service.send_message(plain(from_="billing@app.example", reply_to="billing@app.example"))
    assert transport.last is not None
    assert transport.last.from_ == "billing@app.example"
    assert transport.last.reply_to == ("billing@app.example",)


def test_without_any_sender_the_message_is_refused(transport: MockTransport) -> None:
    with pytest.raises(InvalidEmailMessageError, match="no sender"):
        EmailService(transport).send_message(plain())
    assert transport.sent == []


def test_a_malformed_default_sender_fails_when_the_service_is_made(
    transport: MockTransport,
) -> None:
    with pytest.raises(InvalidEmailMessageError) as error:
        EmailService(transport, from_="not an address")
    assert error.value.field == "from_"


def test_on_sent_gets_the_result_and_the_message(transport: MockTransport) -> None:
    calls: list[tuple[SendResult, EmailMessage]] = []
    service = EmailService(
        transport, from_=SENDER, on_sent=lambda result, message: calls.append((result, message))
    )
    result = service.send_message(plain(), idempotency_key="job-1")
    assert calls == [(result, result.message)]
    assert result.idempotency_key == "job-1"


def test_an_on_sent_error_is_logged_never_raised(
    transport: MockTransport, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_hook(result: SendResult, message: EmailMessage) -> None:
        raise RuntimeError("analytics down")

    service = EmailService(transport, from_=SENDER, on_sent=broken_hook)
    with caplog.at_level(logging.ERROR, logger="glasswork_email.service"):
        result = service.send_message(plain())
    assert result.message_id == "mock-1"
    assert "on_sent hook failed for email mock-1" in caplog.text
    assert "analytics down" in caplog.text


def test_a_templated_send_renders_subject_html_and_text(
    transport: MockTransport, templates: Any, welcome_email: Callable[..., Any]
) -> None:
    service = TemplatedEmailService(transport, templates, from_=SENDER)
    result = service.send(welcome_email(to="ann@example.com", name="Ann <3"))
    sent = transport.last
    assert sent is not None
    assert sent.subject == "Welcome, Ann <3!"
    assert sent.html is not None and "Hello Ann &lt;3" in sent.html
    assert sent.text is not None and sent.text.startswith("Hello Ann <3")
    assert sent.to == ("ann@example.com",)
    assert result.template == "welcome"


def test_a_payload_subject_overrides_the_templates(
    transport: MockTransport, templates: Any, welcome_email: Callable[..., Any]
) -> None:
    TemplatedEmailService(transport, templates, from_=SENDER).send(
        welcome_email(subject="Your account is ready")
    )
    assert transport.last is not None and transport.last.subject == "Your account is ready"


def test_payload_recipients_sender_tags_and_unsubscribe_url_reach_the_message(
    transport: MockTransport, templates: Any, welcome_email: Callable[..., Any]
) -> None:
    service = TemplatedEmailService(
        transport, templates, from_=SENDER, default_tags={"app": "shop", "tenant": "default"}
    )
    service.send(
        welcome_email(
            to=["ann@example.com", "bob@example.com"],
            cc=["carol@example.com"],
            bcc=["audit@example.com"],
            reply_to=["help@app.example"],
            sender="team@app.example",
            tags={"tenant": "acme"},
            unsubscribe_url="https://app.example/u?t=1",
        )
    )
    sent = transport.last
    assert sent is not None
    assert sent.to == ("ann@example.com", "bob@example.com")
    assert sent.cc == ("carol@example.com",)
    assert sent.bcc == ("audit@example.com",)
    assert sent.reply_to == ("help@app.example",)
    assert sent.from_ == "team@app.example"
    assert dict(sent.tags) == {"app": "shop", "tenant": "acme", "template": "welcome"}
    assert sent.unsubscribe_url == "https://app.example/u?t=1"


def test_the_template_tag_can_be_turned_off(
    transport: MockTransport, templates: Any, welcome_email: Callable[..., Any]
) -> None:
    TemplatedEmailService(transport, templates, from_=SENDER, tag_template=False).send(
        welcome_email()
    )
    assert transport.last is not None and dict(transport.last.tags) == {}


def test_an_unknown_template_is_a_permanent_error_listing_known_ones(
    transport: MockTransport, templates: Any, reset_email: Callable[..., Any]
) -> None:
    service = TemplatedEmailService(transport, templates, from_=SENDER)
    with pytest.raises(UnknownTemplateError, match=r"'reset'.*known templates: welcome") as error:
        service.send(reset_email())
    assert isinstance(error.value, PermanentJobError)
    assert transport.sent == []


def test_render_builds_the_message_without_sending(
    transport: MockTransport, templates: Any, welcome_email: Callable[..., Any]
) -> None:
    message = TemplatedEmailService(transport, templates, from_=SENDER).render(welcome_email())
    assert message.subject == "Welcome, Ann!"
    assert message.from_ == SENDER
    assert transport.sent == []


def test_a_subject_rendered_with_a_line_break_is_refused_before_sending(
    transport: MockTransport, templates: Any, welcome_email: Callable[..., Any]
) -> None:
    service = TemplatedEmailService(transport, templates, from_=SENDER)
    with pytest.raises(InvalidEmailMessageError) as error:
        service.send(welcome_email(name="Ann\r\nBcc: victim@example.com"))
    assert error.value.field == "subject"
    assert transport.sent == []


def test_warm_up_makes_the_suppression_stores_client_too(
    transport: MockTransport,
    templates: Any,
    local_aws: LocalAWS,
    clients_made: Counter[str],
) -> None:
    store = DynamoDBSuppressionStore("suppressions", endpoint_url=local_aws.endpoint_url)
    service = TemplatedEmailService(transport, templates, suppression_store=store)
    service.warm_up()
    assert clients_made["dynamodb"] == 1
    store.create_table()
    assert clients_made["dynamodb"] == 1, "the warmed-up client is the one used"
