"""The typed SES event union: one model per event type, and ``UnknownSESEvent`` for the rest.

``SESEvent`` is discriminated on ``eventType`` (configuration-set event publishing) or, for the
older identity notifications, ``notificationType``. A type this module does not know (AWS adds
some from time to time) validates as ``UnknownSESEvent`` with every field kept, never as an
error that would lose the message.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Discriminator, Field, Tag, TypeAdapter, model_validator

from glasswork_email.events.details import (
    Bounce,
    Click,
    Complaint,
    Delivery,
    DeliveryDelay,
    Open,
    Reject,
    RenderingFailure,
    Subscription,
)
from glasswork_email.events.mail import SendingContext, SESEventModel, SESMail

__all__ = [
    "BounceEvent",
    "ClickEvent",
    "ComplaintEvent",
    "DeliveryDelayEvent",
    "DeliveryEvent",
    "OpenEvent",
    "RejectEvent",
    "RenderingFailureEvent",
    "SESEvent",
    "SESEventBase",
    "SendEvent",
    "SubscriptionEvent",
    "UnknownSESEvent",
    "ses_event_adapter",
]

_UNKNOWN = "unknown"


class SESEventBase(SESEventModel):
    """Fields every SES event has: its type (``event_type``, a ``Literal`` in each subclass)
    and the message it is about."""

    mail: SESMail

    @model_validator(mode="before")
    @classmethod
    def _identity_notification_type(cls, data: Any) -> Any:
        # Identity notifications (feedback forwarding without event publishing) name the type
        # notificationType; the rest of the record has the same shape.
        if isinstance(data, dict) and "eventType" not in data and "event_type" not in data:
            kind = data.get("notificationType")
            if kind is not None:
                return {**data, "eventType": kind}
        return data

    @property
    def sending_context(self) -> SendingContext:
        """The template, idempotency key and configuration set the message was sent with."""
        return self.mail.sending_context


class SendEvent(SESEventBase):
    """SES accepted the message and will try to deliver it."""

    event_type: Literal["Send"]
    send: dict[str, Any] = Field(default_factory=dict)


class DeliveryEvent(SESEventBase):
    """The recipients' mail server accepted the message."""

    event_type: Literal["Delivery"]
    delivery: Delivery


class BounceEvent(SESEventBase):
    """The message bounced for ``bounce.bounced_recipients``."""

    event_type: Literal["Bounce"]
    bounce: Bounce


class ComplaintEvent(SESEventBase):
    """``complaint.complained_recipients`` marked the message as spam."""

    event_type: Literal["Complaint"]
    complaint: Complaint


class RejectEvent(SESEventBase):
    """SES refused to send the message (e.g. it contained a virus)."""

    event_type: Literal["Reject"]
    reject: Reject


class DeliveryDelayEvent(SESEventBase):
    """Delivery is delayed for ``delivery_delay.delayed_recipients``."""

    event_type: Literal["DeliveryDelay"]
    delivery_delay: DeliveryDelay


class OpenEvent(SESEventBase):
    """A recipient opened the message."""

    event_type: Literal["Open"]
    open: Open


class ClickEvent(SESEventBase):
    """A recipient clicked a link."""

    event_type: Literal["Click"]
    click: Click


class RenderingFailureEvent(SESEventBase):
    """SES could not render its template (``eventType`` ``"Rendering Failure"``)."""

    event_type: Literal["Rendering Failure"]
    failure: RenderingFailure


class SubscriptionEvent(SESEventBase):
    """A contact changed its preferences in an SES contact list."""

    event_type: Literal["Subscription"]
    subscription: Subscription


class UnknownSESEvent(SESEventModel):
    """An event of a type this version does not model; every field is kept (``model_extra``).

    Parameters:
        event_type: its ``eventType``/``notificationType`` (``"unknown"`` when it has none).
        mail: the message it is about, when the record has a readable ``mail`` object.
    """

    event_type: str = _UNKNOWN
    mail: SESMail | None = None

    @model_validator(mode="before")
    @classmethod
    def _type_and_mail(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if "eventType" not in data and "event_type" not in data:
            data["eventType"] = str(data.get("notificationType", _UNKNOWN))
        mail = data.get("mail")
        if mail is not None and not _readable_mail(mail):
            data["raw_mail"] = data.pop("mail")
        return data


_EVENT_TYPES: dict[str, type[SESEventBase]] = {
    "Send": SendEvent,
    "Delivery": DeliveryEvent,
    "Bounce": BounceEvent,
    "Complaint": ComplaintEvent,
    "Reject": RejectEvent,
    "DeliveryDelay": DeliveryDelayEvent,
    "Open": OpenEvent,
    "Click": ClickEvent,
    "Rendering Failure": RenderingFailureEvent,
    "Subscription": SubscriptionEvent,
}


def _readable_mail(mail: object) -> bool:
    try:
        SESMail.model_validate(mail)
    except ValueError:
        return False
    return True


def _event_tag(value: Any) -> str:
    if isinstance(value, dict):
        kind = value.get("eventType", value.get("event_type", value.get("notificationType")))
    else:
        kind = getattr(value, "event_type", None)
        if isinstance(value, UnknownSESEvent):
            return _UNKNOWN
    return kind if isinstance(kind, str) and kind in _EVENT_TYPES else _UNKNOWN


SESEvent = Annotated[
    Annotated[SendEvent, Tag("Send")]
    | Annotated[DeliveryEvent, Tag("Delivery")]
    | Annotated[BounceEvent, Tag("Bounce")]
    | Annotated[ComplaintEvent, Tag("Complaint")]
    | Annotated[RejectEvent, Tag("Reject")]
    | Annotated[DeliveryDelayEvent, Tag("DeliveryDelay")]
    | Annotated[OpenEvent, Tag("Open")]
    | Annotated[ClickEvent, Tag("Click")]
    | Annotated[RenderingFailureEvent, Tag("Rendering Failure")]
    | Annotated[SubscriptionEvent, Tag("Subscription")]
    | Annotated[UnknownSESEvent, Tag(_UNKNOWN)],
    Discriminator(_event_tag),
]
"""Any SES event; ``isinstance`` tells the type (``BounceEvent``, ``ComplaintEvent``, ...)."""

ses_event_adapter: TypeAdapter[SESEvent] = TypeAdapter(
    SESEvent, config=ConfigDict(defer_build=True)
)
"""Validates a record (``dict`` or JSON) into an ``SESEvent``."""
