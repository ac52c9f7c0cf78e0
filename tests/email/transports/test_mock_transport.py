"""Specification of ``MockTransport``, the transport users' tests send to."""

from __future__ import annotations

import pytest

from glasswork_email.errors import InvalidEmailMessageError, TransientEmailSendError
from glasswork_email.message import EmailMessage
from glasswork_email.transports.mock import MockTransport


def message(to: str = "ann@example.com", subject: str = "Hi") -> EmailMessage:
    return EmailMessage(from_="app@example.com", to=to, subject=subject, text="Hello")


def test_sent_messages_are_kept_in_order_with_ids() -> None:
    transport = MockTransport()
    first_id = transport.send(message(subject="first"))
    transport.send(message(subject="second"))
    assert [sent.subject for sent in transport.sent] == ["first", "second"]
    assert transport.message_ids == [first_id, "mock-2"]
    assert transport.last is not None and transport.last.subject == "second"


def test_last_is_none_before_anything_is_sent() -> None:
    assert MockTransport().last is None


def test_sent_to_finds_a_recipient_in_to_cc_or_bcc_ignoring_case_and_names() -> None:
    transport = MockTransport()
    transport.send(message(to="Ann <Ann@Example.com>"))
    transport.send(
        EmailMessage(
            from_="app@example.com",
            to="bob@example.com",
            bcc="ann@example.com",
            subject="b",
            text="b",
        )
    )
    transport.send(message(to="carol@example.com"))
    assert len(transport.sent_to("ann@example.com")) == 2
    assert transport.sent_to("dave@example.com") == []


def test_simulate_failure_fails_the_next_sends_then_recovers() -> None:
    transport = MockTransport()
    failure = TransientEmailSendError("throttled", transport="mock", retry_after=1)
    transport.simulate_failure(failure, times=2)
    for _ in range(2):
        with pytest.raises(TransientEmailSendError):
            transport.send(message())
    transport.send(message())
    assert len(transport.sent) == 1


def test_clear_forgets_messages_and_pending_failures() -> None:
    transport = MockTransport()
    transport.send(message())
    transport.simulate_failure(RuntimeError("boom"))
    transport.clear()
    transport.send(message())
    assert len(transport.sent) == 1


def test_a_message_without_sender_is_refused_like_a_real_transport() -> None:
    with pytest.raises(InvalidEmailMessageError, match="from_"):
        MockTransport().send(EmailMessage(to="ann@example.com", subject="Hi", text="x"))
