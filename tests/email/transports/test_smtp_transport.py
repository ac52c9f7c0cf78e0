"""Specification of ``SMTPTransport`` against a local ``aiosmtpd`` server on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage as MIMEMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from glasswork_email.errors import PermanentEmailSendError, TransientEmailSendError
from glasswork_email.message import EmailMessage
from glasswork_email.transports.smtp import SMTPTransport


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes


@dataclass
class RecordingHandler:
    """An SMTP server's handler that keeps each message and may refuse recipients."""

    received: list[Received] = field(default_factory=list)
    recipient_reply: str | None = None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if self.recipient_reply is not None:
            return self.recipient_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        )
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp_server() -> Iterator[tuple[RecordingHandler, int]]:
    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def transport_for(port: int) -> SMTPTransport:
    return SMTPTransport("127.0.0.1", port, starttls=False, timeout=5)


def welcome(**overrides: object) -> EmailMessage:
    fields: dict[str, object] = {
        "from_": "App <hello@app.example>",
        "to": "Ann <ann@example.com>",
        "bcc": "audit@example.com",
        "subject": "Grüße, Ann ✓",
        "html": "<p>Grüße ✓</p>",
        "text": "Grüße ✓",
    }
    fields.update(overrides)
    return EmailMessage(**fields)  # type: ignore[arg-type]


def test_a_message_reaches_the_server_with_envelope_and_unicode_intact(
    smtp_server: tuple[RecordingHandler, int],
) -> None:
    handler, port = smtp_server
    message_id = transport_for(port).send(welcome())

    [received] = handler.received
    assert received.mail_from == "hello@app.example"
    assert received.rcpt_tos == ["ann@example.com", "audit@example.com"]
    parsed = email.message_from_bytes(received.content, policy=email.policy.default)
    assert isinstance(parsed, MIMEMessage)
    assert parsed["Message-ID"] == message_id
    assert parsed["Subject"] == "Grüße, Ann ✓"
    assert "Bcc" not in parsed and b"audit@example.com" not in received.content
    text = parsed.get_body(preferencelist=("plain",))
    assert isinstance(text, MIMEMessage)
    assert text.get_content().strip() == "Grüße ✓"


def test_a_permanently_refused_recipient_is_a_permanent_error(
    smtp_server: tuple[RecordingHandler, int],
) -> None:
    handler, port = smtp_server
    handler.recipient_reply = "550 5.1.1 No such user"
    with pytest.raises(PermanentEmailSendError) as error:
        transport_for(port).send(welcome(bcc=()))
    assert error.value.code == "550"
    assert handler.received == []


def test_a_deferred_recipient_is_a_transient_error(
    smtp_server: tuple[RecordingHandler, int],
) -> None:
    handler, port = smtp_server
    handler.recipient_reply = "451 4.3.0 Try again later"
    with pytest.raises(TransientEmailSendError) as error:
        transport_for(port).send(welcome(bcc=()))
    assert error.value.code == "451"


def test_an_unreachable_server_is_a_transient_error() -> None:
    with pytest.raises(TransientEmailSendError, match="SMTP connection failed"):
        transport_for(free_port()).send(welcome())


def test_starttls_against_a_server_without_it_is_a_permanent_error(
    smtp_server: tuple[RecordingHandler, int],
) -> None:
    _handler, port = smtp_server
    with pytest.raises(PermanentEmailSendError, match="lacks a needed feature"):
        SMTPTransport("127.0.0.1", port, timeout=5).send(welcome())


def test_username_and_password_go_together() -> None:
    with pytest.raises(ValueError, match="both username and password"):
        SMTPTransport(username="user")
