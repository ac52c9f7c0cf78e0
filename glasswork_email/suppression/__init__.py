"""Suppression: addresses that must not be emailed (bounced, complained, unsubscribed).

``TemplatedEmailService(suppression_store=...)`` checks every email's recipients before
sending; the SES event handlers (``glasswork_email.events``) fill the store. The stores are
imported on first use, so modules that only need ``normalise_address`` do not load botocore.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from glasswork.lazy_exports import lazy_attributes
from glasswork_email.suppression.base import (
    DEFAULT_TRANSIENT_BOUNCE_THRESHOLD,
    DEFAULT_TRANSIENT_BOUNCE_WINDOW_SECONDS,
    Suppression,
    SuppressionReason,
    SuppressionStore,
    normalise_address,
)

if TYPE_CHECKING:
    from glasswork_email.suppression.dynamodb import DynamoDBSuppressionStore
    from glasswork_email.suppression.memory import InMemorySuppressionStore
    from glasswork_email.suppression.ses_account import SESAccountSyncedStore

_STORES = {
    "DynamoDBSuppressionStore": "glasswork_email.suppression.dynamodb",
    "InMemorySuppressionStore": "glasswork_email.suppression.memory",
    "SESAccountSyncedStore": "glasswork_email.suppression.ses_account",
}

__all__ = [
    "DEFAULT_TRANSIENT_BOUNCE_THRESHOLD",
    "DEFAULT_TRANSIENT_BOUNCE_WINDOW_SECONDS",
    "DynamoDBSuppressionStore",
    "InMemorySuppressionStore",
    "SESAccountSyncedStore",
    "Suppression",
    "SuppressionReason",
    "SuppressionStore",
    "normalise_address",
]


__getattr__ = lazy_attributes("glasswork_email.suppression", _STORES, globals())
