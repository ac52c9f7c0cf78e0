"""Size checks: Gmail clips HTML over about 102 KB; a message with big inline images is slow.

The total is measured on the message a transport sends: the MIME document with its text and
HTML parts and the inline images, ``data:`` URIs in the HTML and ``cid:`` parts attached
(found in the templates folder, see ``inline_images``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from glasswork_email.errors import InvalidEmailMessageError
from glasswork_email.lint.findings import Check, LintSubject, Problem, Severity
from glasswork_email.lint.html_document import Element
from glasswork_email.lint.inline_images import inline_attachments
from glasswork_email.message import EmailMessage
from glasswork_email.transports.mime import mime_bytes

__all__ = [
    "CHECKS",
    "GMAIL_CLIP_BYTES",
    "MEASURED_RECIPIENT",
    "MEASURED_SENDER",
    "TOTAL_SIZE_LIMIT_BYTES",
    "html_size_bytes",
    "message_size_bytes",
]

GMAIL_CLIP_BYTES = 102 * 1024
"""Gmail shows "[Message clipped]" past this much HTML, in bytes (about 102 KB)."""
TOTAL_SIZE_LIMIT_BYTES = 1024 * 1024
"""A message over this many bytes as sent (its inline images encoded in it) is slow to open
on a phone."""
MEASURED_SENDER = "Sender <sender@example.com>"
"""The From address of the message lint measures (an address's length barely counts)."""
MEASURED_RECIPIENT = "recipient@example.com"
"""The To address of the message lint measures."""

_DATA_URI = re.compile(r"data:image/[a-z0-9.+-]+;base64,[a-z0-9+/=\s]+", re.IGNORECASE)


def html_size_bytes(html: str) -> int:
    """The size of the HTML as sent (UTF-8), in bytes."""
    return len(html.encode("utf-8"))


def _kilobytes(size: int) -> str:
    return f"{size / 1024:.1f} KB"


def check_gmail_clipping(subject: LintSubject) -> Iterator[Problem]:
    """HTML over Gmail's clipping limit: everything past it is hidden behind a link."""
    size = html_size_bytes(subject.email.html)
    if size > GMAIL_CLIP_BYTES:
        yield Problem(
            f"the HTML is {_kilobytes(size)}, over Gmail's clipping limit of "
            f"{_kilobytes(GMAIL_CLIP_BYTES)}: Gmail hides the rest (the footer, the unsubscribe "
            "link) behind 'View entire message'"
        )


def message_size_bytes(subject: LintSubject) -> int:
    """The size of the message a transport sends for ``subject``, in bytes: MIME headers, the
    text and HTML parts and the inline images found for its ``cid:`` references, encoded."""
    email = subject.email
    try:
        message = EmailMessage(
            to=MEASURED_RECIPIENT,
            from_=MEASURED_SENDER,
            subject=email.subject.strip() or "(no subject)",
            html=email.html,
            text=email.text,
            attachments=inline_attachments(list(subject.inline_images)),
        )
        return len(mime_bytes(message))
    except InvalidEmailMessageError:
        # Not sendable as it is (other checks say why): estimate what it would carry.
        images = sum(
            image.path.stat().st_size for image in subject.inline_images if image.path is not None
        )
        return html_size_bytes(email.html) + html_size_bytes(email.text) + images * 4 // 3


@dataclass(frozen=True)
class _Image:
    encoded_bytes: int
    label: str
    needle: str
    element: Element | None = None


def _images(subject: LintSubject) -> list[_Image]:
    """The inline images as the message carries them, largest first."""
    images = [
        _Image(len(match.group()), "data: image", "data:image")
        for match in _DATA_URI.finditer(subject.email.html)
    ]
    images += [
        _Image(
            image.path.stat().st_size * 4 // 3,
            image.path.name,
            f"cid:{image.content_id}",
            image.element,
        )
        for image in subject.inline_images
        if image.path is not None
    ]
    return sorted(images, key=lambda image: image.encoded_bytes, reverse=True)


def check_total_size(subject: LintSubject) -> Iterator[Problem]:
    """The message as sent, HTML, text and inline images (``data:`` and ``cid:``), over
    ``TOTAL_SIZE_LIMIT_BYTES``."""
    total = message_size_bytes(subject)
    if total <= TOTAL_SIZE_LIMIT_BYTES:
        return
    images = _images(subject)
    shown = ", ".join(f"{image.label} {_kilobytes(image.encoded_bytes)}" for image in images[:3])
    largest = images[0] if images else None
    yield Problem(
        f"the message is {_kilobytes(total)} as sent with its inline images "
        f"({shown or 'none'}), over {_kilobytes(TOTAL_SIZE_LIMIT_BYTES)}: link images from "
        "a server",
        (largest.needle,) if largest else (),
        element=largest.element if largest else None,
    )


def check_inline_image_file(subject: LintSubject) -> Iterator[Problem]:
    """A ``cid:`` image without its file in the templates folder: lint cannot measure it."""
    for image in subject.inline_images:
        if image.path is not None:
            continue
        found = (
            f"several files match ({', '.join(path.name for path in image.candidates)}): "
            "use the path as the content id"
            if image.candidates
            else f"put the file the sender attaches there (e.g. {image.content_id}.png)"
        )
        yield Problem(
            f"image cid:{image.content_id} has no file in the templates folder, so its size "
            f"is not counted; {found}",
            (f"cid:{image.content_id}",),
            element=image.element,
        )


CHECKS = (
    Check(
        "gmail-clipping",
        "HTML over Gmail's clipping limit (about 102 KB)",
        Severity.ERROR,
        check_gmail_clipping,
    ),
    Check(
        "total-size",
        "the message as sent, with its inline images, over 1 MB",
        Severity.WARNING,
        check_total_size,
    ),
    Check(
        "inline-image-file",
        "a cid: image without its file in the templates folder",
        Severity.WARNING,
        check_inline_image_file,
    ),
)
"""The size checks."""
