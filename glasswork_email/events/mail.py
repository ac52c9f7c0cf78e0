"""The ``mail`` object of every SES event, and the sending context it carries back.

``TemplatedEmailService`` tags each message with its template (``template``) and idempotency
key (``idempotency_key``, the job id unless the payload gave one), and writes the key into the
``X-Glasswork-Idempotency-Key`` header too, since an SES tag value cannot hold every character
a key may have. SES repeats tags and the first headers in every event of the message, so a
handler can link a bounce to the email and job that caused it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from glasswork_email.events.tags import (
    CONFIGURATION_SET_TAG,
    IDEMPOTENCY_KEY_HEADER,
    IDEMPOTENCY_KEY_TAG,
    TEMPLATE_TAG,
)

__all__ = [
    "IDEMPOTENCY_KEY_HEADER",
    "IDEMPOTENCY_KEY_TAG",
    "TEMPLATE_TAG",
    "MailHeader",
    "SESEventModel",
    "SESMail",
    "SendingContext",
]


class SESEventModel(BaseModel):
    """Base of the event models: camelCase on the wire, unknown fields kept, immutable."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        frozen=True,
        extra="allow",
        defer_build=True,
    )


class MailHeader(SESEventModel):
    """One header of the original message, as SES reports it."""

    name: str
    value: str


@dataclass(frozen=True)
class SendingContext:
    """What we knew when sending, carried back by an event.

    Parameters:
        ses_message_id: SES's id of the message (the ``SendResult.message_id``).
        template: the template's name, when the message was templated.
        idempotency_key: the send's idempotency key (by default the ``send_email`` job id).
        configuration_set: the configuration set the message went through, if any.
    """

    ses_message_id: str
    template: str | None
    idempotency_key: str | None
    configuration_set: str | None


class SESMail(SESEventModel):
    """The message an event is about.

    Parameters:
        timestamp: when the message was sent.
        message_id: SES's message id.
        source: the sender address.
        destination: every envelope recipient.
        source_arn: the sending identity's ARN.
        sending_account_id: the AWS account that sent it.
        headers_truncated: whether ``headers`` was cut short.
        headers: the message's first headers (configuration-set events and identity
            notifications with headers enabled).
        common_headers: From, To, Subject, ... parsed by SES.
        tags: the message's tags, name → values (configuration-set events only).
    """

    timestamp: datetime
    message_id: str
    source: str = ""
    destination: list[str] = Field(default_factory=list)
    source_arn: str | None = None
    sending_account_id: str | None = None
    headers_truncated: bool = False
    headers: list[MailHeader] = Field(default_factory=list)
    common_headers: dict[str, object] = Field(default_factory=dict)
    tags: dict[str, list[str]] = Field(default_factory=dict)

    def tag(self, name: str) -> str | None:
        """The first value of tag ``name``, or ``None``."""
        values = self.tags.get(name)
        return values[0] if values else None

    def header(self, name: str) -> str | None:
        """The value of the first header called ``name`` (case-insensitive), or ``None``."""
        wanted = name.lower()
        return next((h.value for h in self.headers if h.name.lower() == wanted), None)

    @property
    def sending_context(self) -> SendingContext:
        """The template, idempotency key and configuration set the message was sent with."""
        return SendingContext(
            ses_message_id=self.message_id,
            template=self.tag(TEMPLATE_TAG),
            idempotency_key=self.tag(IDEMPOTENCY_KEY_TAG) or self.header(IDEMPOTENCY_KEY_HEADER),
            configuration_set=self.tag(CONFIGURATION_SET_TAG),
        )
