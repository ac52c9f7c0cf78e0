"""``TransientBouncePolicy``: when soft bounces add up to a suppression.

Apart from ``suppressing.py`` (which needs the event models) so that a policy can be made
without them; ``define_ses_event_handlers`` imports it only with the first SES event.
"""

from __future__ import annotations

from dataclasses import dataclass

from glasswork_email.suppression.base import (
    DEFAULT_TRANSIENT_BOUNCE_THRESHOLD,
    DEFAULT_TRANSIENT_BOUNCE_WINDOW_SECONDS,
)

__all__ = ["DEFAULT_TRANSIENT_BOUNCE_POLICY", "TransientBouncePolicy"]


@dataclass(frozen=True)
class TransientBouncePolicy:
    """When soft bounces add up to a suppression.

    Parameters:
        threshold: transient bounces within the window that suppress the address (default 3;
            ``0`` never suppresses for transient bounces).
        window_seconds: the window, in seconds (default 7 days).
    """

    threshold: int = DEFAULT_TRANSIENT_BOUNCE_THRESHOLD
    window_seconds: float = DEFAULT_TRANSIENT_BOUNCE_WINDOW_SECONDS


DEFAULT_TRANSIENT_BOUNCE_POLICY = TransientBouncePolicy()
"""Suppress after 3 transient bounces within 7 days."""
