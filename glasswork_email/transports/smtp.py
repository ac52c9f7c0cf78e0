"""``SMTPTransport``: sends through any SMTP server with the standard library's ``smtplib``.

For local development (a catch-all server such as ``aiosmtpd`` or MailHog) and for providers
other than SES. One connection per message: simple, and right for Lambda, where a connection
kept between invocations may be closed by the server while the function is frozen.
"""

from __future__ import annotations

import logging
import smtplib
import ssl

from glasswork_email.errors import (
    EmailSendError,
    PermanentEmailSendError,
    TransientEmailSendError,
)
from glasswork_email.message import EmailMessage
from glasswork_email.transports.base import require_sender
from glasswork_email.transports.mime import ascii_address, build_mime

__all__ = ["DEFAULT_SMTP_TIMEOUT_SECONDS", "SMTPTransport", "smtp_send_error"]

logger = logging.getLogger(__name__)

DEFAULT_SMTP_TIMEOUT_SECONDS = 30.0
"""How long one SMTP connection may wait on the server, in seconds."""

_TRANSPORT = "smtp"


def smtp_send_error(error: smtplib.SMTPException | OSError) -> EmailSendError:
    """The transient or permanent error for an ``smtplib`` failure.

    4xx replies and lost connections are transient; 5xx replies, refused recipients and
    failed authentication are permanent.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _text in error.recipients.values()})
        refused = ", ".join(error.recipients)
        if codes and all(400 <= code < 500 for code in codes):
            return TransientEmailSendError(
                f"SMTP server deferred every recipient ({refused}): {error.recipients}",
                transport=_TRANSPORT,
                code=str(codes[0]),
            )
        return PermanentEmailSendError(
            f"SMTP server refused every recipient ({refused}): {error.recipients}",
            transport=_TRANSPORT,
            code=str(codes[0]) if codes else None,
        )
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return PermanentEmailSendError(
            f"SMTP authentication failed: {error.smtp_code} {error.smtp_error!r}; "
            "check the username and password",
            transport=_TRANSPORT,
            code=str(error.smtp_code),
        )
    if isinstance(error, smtplib.SMTPResponseException):
        text = f"SMTP server replied {error.smtp_code}: {error.smtp_error!r}"
        if 400 <= error.smtp_code < 500:
            return TransientEmailSendError(text, transport=_TRANSPORT, code=str(error.smtp_code))
        return PermanentEmailSendError(text, transport=_TRANSPORT, code=str(error.smtp_code))
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return PermanentEmailSendError(
            f"SMTP server lacks a needed feature: {error}", transport=_TRANSPORT
        )
    # Lost connections, timeouts, refused connections: the server may be back soon.
    return TransientEmailSendError(f"SMTP connection failed: {error}", transport=_TRANSPORT)


class SMTPTransport:
    """Sends email over SMTP with ``smtplib``, one connection per message.

    Parameters:
        host: the server's host name (default ``"localhost"``).
        port: the server's port (default 587; 465 with ``use_tls``; 25 or 1025 for local
            catch-all servers).
        username: login name; with ``password``, authenticates after STARTTLS (default none).
        password: login password (default none).
        starttls: upgrade the connection with STARTTLS before sending (default ``True``
            unless ``use_tls``); set ``False`` for local servers without TLS.
        use_tls: connect with implicit TLS (SMTPS, usually port 465) (default ``False``).
        timeout: seconds to wait on the server (default 30).
        ssl_context: the TLS settings (default ``ssl.create_default_context()``).
        local_hostname: the name sent in EHLO (default: this machine's FQDN).
    """

    def __init__(
        self,
        host: str = "localhost",
        port: int | None = None,
        *,
        username: str | None = None,
        password: str | None = None,
        starttls: bool | None = None,
        use_tls: bool = False,
        timeout: float = DEFAULT_SMTP_TIMEOUT_SECONDS,
        ssl_context: ssl.SSLContext | None = None,
        local_hostname: str | None = None,
    ) -> None:
        if (username is None) != (password is None):
            raise ValueError("give both username and password, or neither")
        self.host = host
        self.port = port if port is not None else (465 if use_tls else 587)
        self.username = username
        self.password = password
        self.use_tls = use_tls
        self.starttls = (not use_tls) if starttls is None else starttls
        if self.use_tls and self.starttls:
            raise ValueError("use_tls (implicit TLS) and starttls exclude each other")
        self.timeout = timeout
        self.ssl_context = ssl_context
        self.local_hostname = local_hostname

    def __repr__(self) -> str:
        return f"SMTPTransport(host={self.host!r}, port={self.port})"

    def _connect(self) -> smtplib.SMTP:
        if self.use_tls:
            return smtplib.SMTP_SSL(
                self.host,
                self.port,
                local_hostname=self.local_hostname,
                timeout=self.timeout,
                context=self.ssl_context or ssl.create_default_context(),
            )
        return smtplib.SMTP(
            self.host, self.port, local_hostname=self.local_hostname, timeout=self.timeout
        )

    def send(self, message: EmailMessage) -> str:
        """Send ``message``; return its ``Message-ID`` header.

        Raises ``TransientEmailSendError`` or ``PermanentEmailSendError`` (see
        ``smtp_send_error``).
        """
        sender = require_sender(message)
        mime = build_mime(message)
        recipients = [ascii_address(address) for address in message.recipients]
        try:
            with self._connect() as connection:
                if self.starttls:
                    connection.starttls(context=self.ssl_context or ssl.create_default_context())
                if self.username is not None and self.password is not None:
                    connection.login(self.username, self.password)
                refused = connection.send_message(
                    mime, from_addr=ascii_address(sender), to_addrs=recipients
                )
        except (smtplib.SMTPException, OSError) as error:
            raise smtp_send_error(error) from error
        if refused:
            logger.warning("SMTP server refused some recipients: %s", refused)
        return str(mime["Message-ID"])
