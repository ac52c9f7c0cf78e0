"""The event-specific objects of SES events: ``bounce``, ``complaint``, ``delivery``, ...

Field names follow AWS's "Contents of event data that Amazon SES publishes to Amazon SNS";
values SES may extend (bounce types, feedback types) are plain strings, so a new value never
makes an event unreadable.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from glasswork_email.events.mail import SESEventModel

__all__ = [
    "Bounce",
    "BouncedRecipient",
    "Click",
    "ComplainedRecipient",
    "Complaint",
    "DelayedRecipient",
    "Delivery",
    "DeliveryDelay",
    "Open",
    "Reject",
    "RenderingFailure",
    "Subscription",
    "TopicPreferences",
]


class BouncedRecipient(SESEventModel):
    """One recipient of a bounce (``action``, ``status``, ``diagnosticCode`` when SES has them)."""

    email_address: str
    action: str | None = None
    status: str | None = None
    diagnostic_code: str | None = None


class Bounce(SESEventModel):
    """A bounce: ``bounce_type`` is ``Permanent``, ``Transient`` or ``Undetermined``.

    ``bounce_sub_type`` refines it (``General``, ``NoEmail``, ``Suppressed``,
    ``OnAccountSuppressionList``, ``MailboxFull``, ``MessageTooLarge``, ...).
    """

    bounce_type: str
    bounce_sub_type: str = ""
    bounced_recipients: list[BouncedRecipient] = Field(default_factory=list)
    timestamp: datetime
    feedback_id: str = ""
    reporting_mta: str | None = Field(default=None, alias="reportingMTA")
    remote_mta_ip: str | None = Field(default=None, alias="remoteMtaIp")

    @property
    def is_permanent(self) -> bool:
        """Whether SES will never deliver to these recipients (a hard bounce)."""
        return self.bounce_type == "Permanent"

    @property
    def is_transient(self) -> bool:
        """Whether the bounce is soft (mailbox full, message too large, ...)."""
        return self.bounce_type == "Transient"


class ComplainedRecipient(SESEventModel):
    """One recipient who marked the message as spam."""

    email_address: str


class Complaint(SESEventModel):
    """A complaint; ``complaint_feedback_type`` is e.g. ``abuse``, ``fraud``, ``not-spam``."""

    complained_recipients: list[ComplainedRecipient] = Field(default_factory=list)
    timestamp: datetime
    feedback_id: str = ""
    complaint_sub_type: str | None = None
    user_agent: str | None = None
    complaint_feedback_type: str | None = None
    arrival_date: datetime | None = None


class Delivery(SESEventModel):
    """A delivery to the recipients' mail server."""

    timestamp: datetime
    processing_time_millis: int | None = None
    recipients: list[str] = Field(default_factory=list)
    smtp_response: str | None = None
    reporting_mta: str | None = Field(default=None, alias="reportingMTA")
    remote_mta_ip: str | None = Field(default=None, alias="remoteMtaIp")


class Reject(SESEventModel):
    """SES refused to send (``reason``, e.g. ``Bad content``)."""

    reason: str = ""


class DelayedRecipient(SESEventModel):
    """One recipient whose delivery is delayed."""

    email_address: str
    status: str | None = None
    diagnostic_code: str | None = None


class DeliveryDelay(SESEventModel):
    """A temporary delivery problem; ``delay_type`` is e.g. ``MailboxFull``, ``SpamDetected``."""

    timestamp: datetime
    delay_type: str = ""
    expiration_time: datetime | None = None
    delayed_recipients: list[DelayedRecipient] = Field(default_factory=list)
    reporting_mta: str | None = Field(default=None, alias="reportingMTA")


class Open(SESEventModel):
    """The recipient opened the message (open tracking)."""

    timestamp: datetime
    ip_address: str | None = None
    user_agent: str | None = None


class Click(SESEventModel):
    """The recipient clicked a tracked link."""

    timestamp: datetime
    link: str = ""
    ip_address: str | None = None
    user_agent: str | None = None
    link_tags: dict[str, list[str]] = Field(default_factory=dict)


class RenderingFailure(SESEventModel):
    """SES could not render an SES-side template (``SendTemplatedEmail``)."""

    template_name: str = ""
    error_message: str = ""


class TopicPreferences(SESEventModel):
    """A contact's subscription state in an SES contact list."""

    unsubscribe_all: bool = False
    topic_subscription_status: list[dict[str, str]] = Field(default_factory=list)
    topic_default_subscription_status: list[dict[str, str]] = Field(default_factory=list)


class Subscription(SESEventModel):
    """A contact changed its subscription preferences in an SES contact list."""

    contact_list: str = ""
    timestamp: datetime
    source: str = ""
    new_topic_preferences: TopicPreferences | None = None
    old_topic_preferences: TopicPreferences | None = None
