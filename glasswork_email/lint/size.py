"""Size checks: Gmail clips HTML over about 102 KB, and images embedded in the HTML count too."""

from __future__ import annotations

import re
from collections.abc import Iterator

from glasswork_email.lint.findings import Check, LintSubject, Problem, Severity

__all__ = ["CHECKS", "GMAIL_CLIP_BYTES", "TOTAL_SIZE_LIMIT_BYTES", "html_size_bytes"]

GMAIL_CLIP_BYTES = 102 * 1024
"""Gmail shows "[Message clipped]" past this much HTML, in bytes (about 102 KB)."""
TOTAL_SIZE_LIMIT_BYTES = 1024 * 1024
"""HTML plus inline (``data:``) images over this many bytes is slow to open on a phone."""

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


def check_total_size(subject: LintSubject) -> Iterator[Problem]:
    """HTML plus the images embedded in it (``data:`` URIs) over ``TOTAL_SIZE_LIMIT_BYTES``."""
    html = subject.email.html
    embedded = sum(len(match.group()) for match in _DATA_URI.finditer(html))
    total = html_size_bytes(html)
    if total > TOTAL_SIZE_LIMIT_BYTES:
        yield Problem(
            f"the email is {_kilobytes(total)} with its inline images ({_kilobytes(embedded)} "
            f"of them), over {_kilobytes(TOTAL_SIZE_LIMIT_BYTES)}: link images from a server",
            ("data:image",),
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
        "HTML with its inline images over 1 MB",
        Severity.WARNING,
        check_total_size,
    ),
)
"""The size checks."""
