"""Glasswork email: typed, compiled email templates sent through SES by a background job.

The names below are imported on first use, not with the package: ``glasswork-email compile``
and the generated template packages import submodules of ``glasswork_email`` and must not pay
for boto3, the transports or the services they do not use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from glasswork.lazy_exports import lazy_attributes

if TYPE_CHECKING:
    from glasswork_email.address import EmailAddress
    from glasswork_email.errors import (
        EmailSendError,
        EmailSendOutcomeUnknownError,
        IdempotencyStoreError,
        InvalidEmailMessageError,
        PermanentEmailSendError,
        TransientEmailSendError,
        UnknownTemplateError,
    )
    from glasswork_email.idempotency import DynamoDBIdempotencyStore, InMemoryIdempotencyStore
    from glasswork_email.job import define_send_email_job
    from glasswork_email.message import Attachment, EmailMessage
    from glasswork_email.module import define_email_module
    from glasswork_email.payload import TemplatedEmail
    from glasswork_email.service import EmailService, SendResult, TemplatedEmailService
    from glasswork_email.transports import MockTransport, SESTransport, SMTPTransport

_EXPORTS = {
    "Attachment": "glasswork_email.message",
    "DynamoDBIdempotencyStore": "glasswork_email.idempotency",
    "EmailAddress": "glasswork_email.address",
    "EmailMessage": "glasswork_email.message",
    "EmailSendError": "glasswork_email.errors",
    "EmailSendOutcomeUnknownError": "glasswork_email.errors",
    "EmailService": "glasswork_email.service",
    "IdempotencyStoreError": "glasswork_email.errors",
    "InMemoryIdempotencyStore": "glasswork_email.idempotency",
    "InvalidEmailMessageError": "glasswork_email.errors",
    "MockTransport": "glasswork_email.transports",
    "PermanentEmailSendError": "glasswork_email.errors",
    "SESTransport": "glasswork_email.transports",
    "SMTPTransport": "glasswork_email.transports",
    "SendResult": "glasswork_email.service",
    "TemplatedEmail": "glasswork_email.payload",
    "TemplatedEmailService": "glasswork_email.service",
    "TransientEmailSendError": "glasswork_email.errors",
    "UnknownTemplateError": "glasswork_email.errors",
    "define_email_module": "glasswork_email.module",
    "define_send_email_job": "glasswork_email.job",
}

__all__ = [
    "Attachment",
    "DynamoDBIdempotencyStore",
    "EmailAddress",
    "EmailMessage",
    "EmailSendError",
    "EmailSendOutcomeUnknownError",
    "EmailService",
    "IdempotencyStoreError",
    "InMemoryIdempotencyStore",
    "InvalidEmailMessageError",
    "MockTransport",
    "PermanentEmailSendError",
    "SESTransport",
    "SMTPTransport",
    "SendResult",
    "TemplatedEmail",
    "TemplatedEmailService",
    "TransientEmailSendError",
    "UnknownTemplateError",
    "define_email_module",
    "define_send_email_job",
]


__getattr__ = lazy_attributes("glasswork_email", _EXPORTS, globals())
