"""Transports: one class per mail provider, all implementing ``Transport.send``."""

from glasswork_email.transports.base import Transport
from glasswork_email.transports.mock import MockTransport
from glasswork_email.transports.rate_limit import SendRateLimiter
from glasswork_email.transports.ses import SESTransport
from glasswork_email.transports.smtp import SMTPTransport

__all__ = ["MockTransport", "SESTransport", "SMTPTransport", "SendRateLimiter", "Transport"]
