"""Glasswork email: typed, compiled email templates sent through SES by a background job."""

from glasswork_email.address import EmailAddress
from glasswork_email.errors import (
    EmailSendError,
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

__all__ = [
    "Attachment",
    "DynamoDBIdempotencyStore",
    "EmailAddress",
    "EmailMessage",
    "EmailSendError",
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
