"""Signed one-click unsubscribe links (RFC 8058): ``UnsubscribeLinks`` makes and checks them.

A message with an ``unsubscribe_url`` gets one-click ``List-Unsubscribe`` headers
(``unsubscribe_headers.py``, re-exported here); the mail client then POSTs
``List-Unsubscribe=One-Click`` to the URL, so the URL must identify the recipient and list by
itself (a signed token), because the POST carries nothing else. ``UnsubscribeLinks`` makes and
checks such URLs; ``unsubscribe_handler`` answers them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass

from glasswork_email.errors import EmailError
from glasswork_email.suppression.base import normalise_address
from glasswork_email.unsubscribe_headers import (
    LIST_UNSUBSCRIBE_POST_VALUE,
    unsubscribe_headers,
    validate_unsubscribe_url,
)

__all__ = [
    "DEFAULT_UNSUBSCRIBE_TTL_SECONDS",
    "LIST_UNSUBSCRIBE_POST_VALUE",
    "MIN_UNSUBSCRIBE_KEY_BYTES",
    "InvalidUnsubscribeTokenError",
    "UnsubscribeLinks",
    "UnsubscribeRequest",
    "unsubscribe_headers",
    "validate_unsubscribe_url",
]

DEFAULT_UNSUBSCRIBE_TTL_SECONDS = 90 * 24 * 3600.0
"""How long an unsubscribe link works by default, in seconds (90 days)."""

MIN_UNSUBSCRIBE_KEY_BYTES = 32
"""Shortest signing key accepted, in bytes."""

_TOKEN_CONTEXT = b"glasswork-unsubscribe-v1\n"


class InvalidUnsubscribeTokenError(EmailError, ValueError):
    """An unsubscribe token that is malformed (400), tampered with or expired (403).

    Parameters:
        problem: what is wrong with it.
        status: the HTTP status to answer with: 400 malformed, 403 bad signature or expired.
    """

    def __init__(self, problem: str, *, status: int) -> None:
        super().__init__(f"unsubscribe token refused: {problem}")
        self.problem = problem
        self.status = status


@dataclass(frozen=True)
class UnsubscribeRequest:
    """What a valid token says: who leaves which topic, and until when the link works.

    Parameters:
        recipient: the normalised address.
        topic: the topic or list.
        expires_at: the link's expiry, epoch seconds.
    """

    recipient: str
    topic: str
    expires_at: int


class UnsubscribeLinks:
    """Signs and verifies one-click unsubscribe links (HMAC-SHA256 over recipient, topic and
    expiry), so the link alone proves who may be unsubscribed from what.

    Parameters:
        key: the signing secret, at least 32 bytes (``str`` is UTF-8 encoded); keep it in your
            configuration (e.g. ``Config(Settings).get("unsubscribe_key")``), never in code.
        base_url: the ``https`` URL of the unsubscribe handler; the token goes in its
            ``token`` query parameter.
        ttl_seconds: how long a link works, in seconds (default 90 days: mail clients show
            the unsubscribe button long after delivery).
        clock: the current time in epoch seconds (default ``time.time``).
    """

    def __init__(
        self,
        key: bytes | str,
        base_url: str,
        *,
        ttl_seconds: float = DEFAULT_UNSUBSCRIBE_TTL_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        secret = key.encode() if isinstance(key, str) else bytes(key)
        if len(secret) < MIN_UNSUBSCRIBE_KEY_BYTES:
            raise ValueError(
                f"the unsubscribe signing key has {len(secret)} bytes; use at least "
                f"{MIN_UNSUBSCRIBE_KEY_BYTES} random bytes (e.g. secrets.token_urlsafe(32))"
            )
        validate_unsubscribe_url(base_url)
        self._key = secret
        self.base_url = base_url
        self.ttl_seconds = ttl_seconds
        self._clock = clock

    def __repr__(self) -> str:
        return f"UnsubscribeLinks(base_url={self.base_url!r})"  # never the key

    def token_for(self, recipient: str, topic: str) -> str:
        """A signed token for ``recipient`` leaving ``topic``, valid for ``ttl_seconds``."""
        expires_at = int(self._clock() + self.ttl_seconds)
        fields = "\n".join((normalise_address(recipient), topic, str(expires_at))).encode()
        body = base64.urlsafe_b64encode(fields).rstrip(b"=").decode()
        return f"{body}.{self._signature(body)}"

    def url_for(self, recipient: str, topic: str) -> str:
        """The one-click unsubscribe URL for ``recipient`` and ``topic``."""
        separator = "&" if "?" in self.base_url else "?"
        return f"{self.base_url}{separator}token={self.token_for(recipient, topic)}"

    def verify(self, token: str) -> UnsubscribeRequest:
        """What ``token`` says, if it is genuine and unexpired.

        Raises ``InvalidUnsubscribeTokenError``: status 400 when malformed, 403 when the
        signature does not match or the link expired.
        """
        body, dot, signature = token.partition(".")
        if not dot or not body or not signature or not token.isascii():
            raise InvalidUnsubscribeTokenError(
                "it is not of the form <fields>.<signature>", status=400
            )
        if not hmac.compare_digest(signature, self._signature(body)):
            raise InvalidUnsubscribeTokenError("the signature does not match", status=403)
        try:
            fields = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()
            recipient, topic, expires = fields.split("\n")
            expires_at = int(expires)
        except ValueError:
            raise InvalidUnsubscribeTokenError("its fields cannot be read", status=400) from None
        if expires_at < self._clock():
            raise InvalidUnsubscribeTokenError("the link has expired", status=403)
        return UnsubscribeRequest(recipient, topic, expires_at)

    def _signature(self, body: str) -> str:
        digest = hmac.new(self._key, _TOKEN_CONTEXT + body.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
