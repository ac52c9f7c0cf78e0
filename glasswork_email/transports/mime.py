"""Build the MIME form of an ``EmailMessage`` with the standard library's ``email`` package.

Encoding is left to the standard library on a 7-bit policy: non-ASCII headers become RFC 2047
encoded words and non-ASCII bodies quoted-printable or base64, whichever is shorter, so the
message passes any relay intact (Glasswork's hand-made quoted-printable garbled such text).
Headers we control (``List-Unsubscribe``, ASCII custom headers) are written verbatim, since
folding could split a URL into encoded words that no mail client would follow.

Layout::

    multipart/mixed                 only with regular attachments
      multipart/alternative         only with both text and html
        text/plain
        multipart/related           only with inline images
          text/html
          image/png (Content-ID)
      application/pdf (attachment)
"""

from __future__ import annotations

import email.policy
from email.headerregistry import Address
from email.message import EmailMessage as MIMEMessage
from email.utils import formatdate, make_msgid, parseaddr

from glasswork_email.address import to_ascii_domain
from glasswork_email.errors import InvalidEmailMessageError
from glasswork_email.message import EmailMessage
from glasswork_email.unsubscribe_headers import unsubscribe_headers

__all__ = ["MIME_POLICY", "ascii_address", "build_mime", "mime_bytes"]

MIME_POLICY = email.policy.SMTP.clone(cte_type="7bit", refold_source="none")
"""CRLF line ends, 7-bit transfer encodings, raw headers written as given."""


def ascii_address(address: str) -> str:
    """The bare address with its domain in ASCII (IDNA/punycode), as SES and SMTP want it."""
    _name, addr_spec = parseaddr(address)
    local, _at, domain = addr_spec.rpartition("@")
    return f"{local}@{to_ascii_domain(domain)}"


def _header_address(address: str) -> Address:
    display_name, _addr_spec = parseaddr(address)
    local, _at, domain = ascii_address(address).rpartition("@")
    return Address(display_name=display_name, username=local, domain=domain)


def build_mime(message: EmailMessage) -> MIMEMessage:
    """The message as a standard-library ``EmailMessage``; ``bcc`` is left out of the headers.

    ``message.from_`` must be set (``EmailService`` fills it in from its default).
    """
    if message.from_ is None:
        raise ValueError("build_mime needs message.from_; EmailService fills in its default")
    mime = MIMEMessage(policy=MIME_POLICY)
    sender = _header_address(message.from_)
    mime["From"] = sender
    if message.to:
        mime["To"] = [_header_address(address) for address in message.to]
    if message.cc:
        mime["Cc"] = [_header_address(address) for address in message.cc]
    if message.reply_to:
        mime["Reply-To"] = [_header_address(address) for address in message.reply_to]
    mime["Subject"] = message.subject
    mime["Date"] = formatdate(usegmt=True)
    mime["Message-ID"] = make_msgid(domain=sender.domain)
    extra_headers = dict(message.headers)
    if message.unsubscribe_url is not None:
        extra_headers.update(unsubscribe_headers(message.unsubscribe_url))
    for name, value in extra_headers.items():
        if value.isascii():
            mime.set_raw(name, value)
        else:
            mime[name] = value
    _set_bodies(mime, message)
    _attach(mime, message)
    return mime


def _set_bodies(mime: MIMEMessage, message: EmailMessage) -> None:
    if message.text and message.html:
        mime.set_content(message.text)
        mime.add_alternative(message.html, subtype="html")
    elif message.html:
        mime.set_content(message.html, subtype="html")
    else:
        mime.set_content(message.text or "")


def _attach(mime: MIMEMessage, message: EmailMessage) -> None:
    inline = [attachment for attachment in message.attachments if attachment.inline]
    if inline:
        html_part = mime.get_body(preferencelist=("html",))
        # Inline images without an HTML body have nothing to reference them: attach them.
        target = html_part if isinstance(html_part, MIMEMessage) else None
        for attachment in inline:
            maintype, _slash, subtype = attachment.content_type.partition("/")
            if target is None:
                mime.add_attachment(
                    bytes(attachment.content), maintype, subtype, filename=attachment.filename
                )
                continue
            target.add_related(
                bytes(attachment.content),
                maintype,
                subtype,
                cid=f"<{attachment.content_id}>",
                filename=attachment.filename,
                disposition="inline",
            )
    for attachment in message.attachments:
        if attachment.inline:
            continue
        maintype, _slash, subtype = attachment.content_type.partition("/")
        mime.add_attachment(
            bytes(attachment.content), maintype, subtype, filename=attachment.filename
        )


def mime_bytes(message: EmailMessage) -> bytes:
    """The message's MIME bytes, ready for SES ``Raw`` content or SMTP ``DATA``.

    Raises ``InvalidEmailMessageError`` (permanent: no retry can encode it) when some text
    cannot be encoded.
    """
    try:
        return build_mime(message).as_bytes(policy=MIME_POLICY)
    except UnicodeError as error:
        raise InvalidEmailMessageError("html", f"the message cannot be encoded: {error}") from None
