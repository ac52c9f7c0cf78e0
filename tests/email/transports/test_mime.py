"""Specification of the MIME built for an ``EmailMessage`` with the standard library."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage as MIMEMessage

from glasswork_email.message import Attachment, EmailMessage
from glasswork_email.transports.mime import ascii_address, mime_bytes

UNICODE_TEXT = "Grüße aus Köln — 東京 ✓\nZweite Zeile"
UNICODE_HTML = "<p>Grüße aus Köln — 東京 ✓</p>"


def parse(raw: bytes) -> MIMEMessage:
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, MIMEMessage)
    return parsed


def body(part: object) -> str:
    """A text part's content with line ends normalised (a base64 body keeps CRLF)."""
    assert isinstance(part, MIMEMessage)
    content: str = part.get_content()
    return content.replace("\r\n", "\n").rstrip("\n")


def full_message(**overrides: object) -> EmailMessage:
    fields: dict[str, object] = {
        "from_": "Zoë Café <hello@app.example>",
        "to": ["Ann Ünï <ann@example.com>", "bob@example.com"],
        "cc": "carol@example.com",
        "bcc": "secret@example.com",
        "reply_to": "support@app.example",
        "subject": "Willkommen, Zoë ✓",
        "text": UNICODE_TEXT,
        "html": UNICODE_HTML,
    }
    fields.update(overrides)
    return EmailMessage(**fields)  # type: ignore[arg-type]


def test_non_ascii_subject_names_and_bodies_survive_a_round_trip() -> None:
    parsed = parse(mime_bytes(full_message()))
    assert parsed["Subject"] == "Willkommen, Zoë ✓"
    assert parsed["From"].addresses[0].display_name == "Zoë Café"
    assert parsed["To"].addresses[0].display_name == "Ann Ünï"
    assert body(parsed.get_body(preferencelist=("plain",))) == UNICODE_TEXT
    assert body(parsed.get_body(preferencelist=("html",))) == UNICODE_HTML


def test_the_raw_message_is_seven_bit_with_lines_under_the_rfc_limit() -> None:
    long_html = "<p>" + "ä" * 5000 + "</p>"
    raw = mime_bytes(full_message(html=long_html))
    assert raw.isascii()
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert body(parse(raw).get_body(preferencelist=("html",))) == long_html


def test_bcc_recipients_never_appear_in_the_headers() -> None:
    raw = mime_bytes(full_message())
    assert b"secret@example.com" not in raw
    assert "Bcc" not in parse(raw)


def test_cc_and_reply_to_are_written() -> None:
    parsed = parse(mime_bytes(full_message()))
    assert parsed["Cc"] == "carol@example.com"
    assert parsed["Reply-To"] == "support@app.example"


def test_a_long_unsubscribe_url_is_written_verbatim_not_encoded() -> None:
    url = "https://app.example/unsubscribe?token=" + "x" * 200
    parsed = parse(mime_bytes(full_message(unsubscribe_url=url)))
    assert parsed["List-Unsubscribe"] == f"<{url}>"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_custom_headers_are_written_and_non_ascii_ones_encoded() -> None:
    parsed = parse(
        mime_bytes(full_message(headers={"X-Campaign": "spring-2026", "X-Note": "für dich"}))
    )
    assert parsed["X-Campaign"] == "spring-2026"
    assert parsed["X-Note"] == "für dich"


def test_html_only_and_text_only_messages_have_a_single_part() -> None:
    html_only = parse(mime_bytes(full_message(text=None)))
    text_only = parse(mime_bytes(full_message(html=None)))
    assert html_only.get_content_type() == "text/html"
    assert text_only.get_content_type() == "text/plain"


def test_inline_images_are_related_to_the_html_and_files_are_attached() -> None:
    logo = Attachment(content=b"\x89PNG-logo", filename="logo.png", content_id="logo")
    invoice = Attachment(content=b"%PDF-1.7 invoice", filename="Rechnung-März.pdf")
    parsed = parse(
        mime_bytes(full_message(html='<img src="cid:logo"><p>Hi</p>', attachments=[invoice, logo]))
    )
    assert parsed.get_content_type() == "multipart/mixed"
    parts = {part.get_content_type(): part for part in parsed.walk()}
    assert "multipart/related" in parts
    image = parts["image/png"]
    assert image["Content-ID"] == "<logo>"
    assert image.get_content_disposition() == "inline"
    assert image.get_content() == b"\x89PNG-logo"
    attachments = list(parsed.iter_attachments())
    assert [part.get_filename() for part in attachments] == ["Rechnung-März.pdf"]
    assert attachments[0].get_content() == b"%PDF-1.7 invoice"


def test_an_internationalised_domain_is_sent_as_punycode() -> None:
    assert ascii_address("Ann <ann@bücher.example>") == "ann@xn--bcher-kva.example"
    parsed = parse(mime_bytes(full_message(to="ann@bücher.example")))
    assert parsed["To"] == "ann@xn--bcher-kva.example"
