"""Send a test: the rendered email as a message, its MIME source, and the configured transport."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from glasswork_email.message import Attachment, EmailMessage
from glasswork_email.rendering import RenderedEmail
from glasswork_email.transports.base import Transport
from glasswork_email.transports.mime import mime_bytes

__all__ = [
    "PREVIEW_RECIPIENT",
    "PREVIEW_SENDER",
    "SES_SIMULATOR_ADDRESSES",
    "mime_source",
    "preview_message",
    "transport_from_arguments",
]

PREVIEW_SENDER = "Preview <preview@example.com>"
"""The From address of the MIME source shown when no sender is configured."""
PREVIEW_RECIPIENT = "recipient@example.com"
"""The To address of the MIME source shown in the preview."""
SES_SIMULATOR_ADDRESSES = (
    "success@simulator.amazonses.com",
    "bounce@simulator.amazonses.com",
    "complaint@simulator.amazonses.com",
    "ooto@simulator.amazonses.com",
    "suppressionlist@simulator.amazonses.com",
)
"""SES's mailbox simulator: sending to these is allowed in the sandbox and costs nothing."""


def preview_message(
    email: RenderedEmail, *, to: str, sender: str, inline_images: Sequence[Attachment] = ()
) -> EmailMessage:
    """The message a transport would send for ``email``.

    Parameters:
        email: the rendered email.
        to: the recipient (raises ``InvalidEmailMessageError`` when it is not an address).
        sender: the From address.
        inline_images: the inline parts its ``cid:`` images show (default none).
    """
    return EmailMessage(
        to=to,
        from_=sender,
        subject=email.subject,
        html=email.html,
        text=email.text,
        attachments=inline_images,
    )


def mime_source(
    email: RenderedEmail, sender: str | None, inline_images: Sequence[Attachment] = ()
) -> str:
    """The MIME source of ``email`` as sent to ``PREVIEW_RECIPIENT``, for reading.

    Parameters:
        email: the rendered email.
        sender: the From address (default ``PREVIEW_SENDER`` when ``None``).
        inline_images: the inline parts its ``cid:`` images show (default none).
    """
    message = preview_message(
        email, to=PREVIEW_RECIPIENT, sender=sender or PREVIEW_SENDER, inline_images=inline_images
    )
    return mime_bytes(message).decode("ascii", errors="replace").replace("\r\n", "\n")


def transport_from_arguments(arguments: argparse.Namespace) -> Transport | None:
    """The transport ``--transport`` names, configured from the other options, or ``None``."""
    if arguments.transport == "ses":
        from glasswork_email.transports.ses import SESTransport

        return SESTransport(region=arguments.region, endpoint_url=arguments.endpoint_url)
    if arguments.transport == "smtp":
        from glasswork_email.transports.smtp import SMTPTransport

        return SMTPTransport(
            arguments.smtp_host, arguments.smtp_port, starttls=arguments.smtp_starttls
        )
    return None
