"""One-click unsubscribe headers (RFC 8058), required by Gmail and Yahoo of bulk senders.

A message with an ``unsubscribe_url`` gets::

    List-Unsubscribe: <https://example.com/unsubscribe?token=...>
    List-Unsubscribe-Post: List-Unsubscribe=One-Click

Apart from the signed links (``unsubscribe.py``) because sending needs only these: the URL
check and the headers are on every worker's path, the links only where they are configured.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from glasswork_email.errors import InvalidEmailMessageError

__all__ = ["LIST_UNSUBSCRIBE_POST_VALUE", "unsubscribe_headers", "validate_unsubscribe_url"]

LIST_UNSUBSCRIBE_POST_VALUE = "List-Unsubscribe=One-Click"
"""The only value RFC 8058 allows in ``List-Unsubscribe-Post``."""

_FORBIDDEN_CHARACTERS = frozenset('<>, \t\r\n\0"')


def validate_unsubscribe_url(url: str) -> str:
    """Return ``url`` when it is an absolute ``https`` URL fit for a header; raise otherwise.

    One-click unsubscribe requires HTTPS (RFC 8058 section 3.1); angle brackets, commas,
    whitespace and quotes would break the ``List-Unsubscribe`` syntax and must be
    percent-encoded by the caller.
    """
    if not isinstance(url, str) or any(character in _FORBIDDEN_CHARACTERS for character in url):
        raise InvalidEmailMessageError(
            "unsubscribe_url",
            f"{url!r} must not contain spaces, quotes, commas, angle brackets or line breaks "
            "(percent-encode them)",
        )
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc:
        raise InvalidEmailMessageError(
            "unsubscribe_url",
            f"{url!r} must be an absolute https:// URL (one-click unsubscribe requires HTTPS)",
        )
    if not url.isascii():
        raise InvalidEmailMessageError(
            "unsubscribe_url", f"{url!r} must be ASCII (percent-encode other characters)"
        )
    return url


def unsubscribe_headers(url: str) -> dict[str, str]:
    """The ``List-Unsubscribe`` and ``List-Unsubscribe-Post`` headers for ``url``."""
    validate_unsubscribe_url(url)
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": LIST_UNSUBSCRIBE_POST_VALUE}
