"""Transports: one class per mail provider, all implementing ``Transport.send``.

The transports are imported on first use: the worker of an app that sends through SES never
imports ``smtplib``, nor the mock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from glasswork.lazy_exports import lazy_attributes
from glasswork_email.transports.base import Transport

if TYPE_CHECKING:
    from glasswork_email.transports.mock import MockTransport
    from glasswork_email.transports.rate_limit import SendRateLimiter
    from glasswork_email.transports.ses import SESTransport
    from glasswork_email.transports.smtp import SMTPTransport

__all__ = ["MockTransport", "SESTransport", "SMTPTransport", "SendRateLimiter", "Transport"]

__getattr__ = lazy_attributes(
    __name__,
    {
        "MockTransport": "glasswork_email.transports.mock",
        "SESTransport": "glasswork_email.transports.ses",
        "SMTPTransport": "glasswork_email.transports.smtp",
        "SendRateLimiter": "glasswork_email.transports.rate_limit",
    },
    globals(),
)
