"""The suppression store protocol: who must not be emailed, why, for which mail, since when.

An entry suppresses one address for all mail (``topic=None``: hard bounces, complaints,
manual blocks) or for one topic or list (``topic="newsletter"``: an unsubscribe). Addresses are
normalised first: the display name dropped and the domain lower-cased (domains are
case-insensitive; local parts, strictly, are not, so they are kept as given).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

from glasswork_email.address import address_only

__all__ = [
    "DEFAULT_TRANSIENT_BOUNCE_THRESHOLD",
    "DEFAULT_TRANSIENT_BOUNCE_WINDOW_SECONDS",
    "SUPPRESSION_STORE_PROVIDER",
    "Suppression",
    "SuppressionReason",
    "SuppressionStore",
    "normalise_address",
]

SUPPRESSION_STORE_PROVIDER = "suppression_store"
"""Provider name of the suppression store (the SES event handlers write to it)."""

DEFAULT_TRANSIENT_BOUNCE_THRESHOLD = 3
"""Transient (soft) bounces within the window after which an address is suppressed."""

DEFAULT_TRANSIENT_BOUNCE_WINDOW_SECONDS = 7 * 24 * 3600.0
"""The window transient bounces are counted in, in seconds (7 days)."""


class SuppressionReason(enum.Enum):
    """Why an address is suppressed."""

    BOUNCE = "bounce"
    COMPLAINT = "complaint"
    UNSUBSCRIBE = "unsubscribe"
    MANUAL = "manual"


def normalise_address(address: str) -> str:
    """``Ann <Ann@Example.COM>`` → ``Ann@example.com``: the bare address, domain lower-cased."""
    bare = address_only(address).strip()
    local, at, domain = bare.rpartition("@")
    return f"{local}{at}{domain.lower()}" if at else bare


@dataclass(frozen=True)
class Suppression:
    """One suppressed address.

    Parameters:
        address: the address (normalised on construction).
        reason: why (``SuppressionReason``).
        topic: the topic or list it applies to; ``None`` for all mail (default).
        suppressed_at: when, timezone-aware (default: now, UTC).
        cause: what caused it, for people reading the store: e.g. ``"Bounce Permanent/General
            (SES message 0100...)"`` (default none).
    """

    address: str
    reason: SuppressionReason
    topic: str | None = None
    suppressed_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    cause: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "address", normalise_address(self.address))

    @property
    def all_mail(self) -> bool:
        """Whether it applies to every email, not one topic."""
        return self.topic is None


@runtime_checkable
class SuppressionStore(Protocol):
    """Where suppressions are kept (``DynamoDBSuppressionStore``, ``InMemorySuppressionStore``)."""

    def find(self, addresses: Sequence[str], *, topic: str | None = None) -> dict[str, Suppression]:
        """The suppressions that stop mail about ``topic`` to any of ``addresses``, in one read.

        Returns normalised address → its suppression (an all-mail entry before a topic one);
        with ``topic=None`` only all-mail entries count.
        """
        ...

    def add(self, suppression: Suppression) -> None:
        """Record ``suppression`` (replacing an entry for the same address and topic)."""
        ...

    def remove(self, address: str, *, topic: str | None = None) -> None:
        """Delete the entry for ``address`` and ``topic`` (``None``: the all-mail one)."""
        ...

    def count_transient_bounce(self, address: str, *, window_seconds: float) -> int:
        """Count one transient bounce of ``address``; return how many fell in the window."""
        ...
