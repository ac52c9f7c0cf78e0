"""From what arrives on a queue or an endpoint to an ``SESEvent``.

SES publishes an event in one of three shapes:

- an SNS notification envelope (``Type: Notification``) whose ``Message`` is the event's JSON,
  as SQS receives it from an SNS subscription without raw message delivery, and as an HTTPS
  endpoint receives it;
- an EventBridge event (``source: aws.ses``, ``detail-type: "Email Bounced"`` ...) whose
  ``detail`` is the event;
- the bare event (SNS raw message delivery), with ``eventType`` or ``notificationType``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from glasswork_email.events.models import SESEvent, ses_event_adapter

__all__ = [
    "EVENTBRIDGE_DETAIL_TYPES",
    "SESEventRecord",
    "parse_ses_event",
    "unwrap_ses_event",
]

EVENTBRIDGE_DETAIL_TYPES = {
    "Email Sent": "Send",
    "Email Delivered": "Delivery",
    "Email Bounced": "Bounce",
    "Email Complaint Received": "Complaint",
    "Email Rejected": "Reject",
    "Email Delivery Delayed": "DeliveryDelay",
    "Email Opened": "Open",
    "Email Clicked": "Click",
    "Email Rendering Failed": "Rendering Failure",
    "Email Subscribed": "Subscription",
}
"""EventBridge ``detail-type`` → SES ``eventType``."""


@dataclass(frozen=True)
class SESEventRecord:
    """An SES event record taken out of its envelope.

    Parameters:
        event: the event's JSON object (not yet validated).
        delivery_id: the envelope's id (SNS ``MessageId``, EventBridge ``id``), stable across
            redeliveries; ``None`` for a bare event.
        shape: ``"sns"``, ``"eventbridge"`` or ``"bare"``.
    """

    event: dict[str, Any]
    delivery_id: str | None
    shape: str


def unwrap_ses_event(body: Mapping[str, Any]) -> SESEventRecord | None:
    """The SES event inside ``body`` (any of the three shapes), or ``None`` if it holds none."""
    if body.get("Type") == "Notification" and isinstance(body.get("Message"), str):
        inner = _json_object(body["Message"])
        if inner is None or not _names_event_type(inner):
            return None
        message_id = body.get("MessageId")
        return SESEventRecord(inner, message_id if isinstance(message_id, str) else None, "sns")
    if body.get("source") == "aws.ses" and isinstance(body.get("detail"), dict):
        detail = dict(body["detail"])
        detail_type = str(body.get("detail-type", ""))
        if not _names_event_type(detail):
            # Other SES events on the bus ("Sending Status Disabled", ...) become unknown events.
            detail["eventType"] = EVENTBRIDGE_DETAIL_TYPES.get(detail_type, detail_type)
        event_id = body.get("id")
        return SESEventRecord(
            detail, event_id if isinstance(event_id, str) else None, "eventbridge"
        )
    if _names_event_type(body) and isinstance(body.get("mail"), dict):
        return SESEventRecord(dict(body), None, "bare")
    return None


def parse_ses_event(body: str | bytes | Mapping[str, Any]) -> SESEvent:
    """Validate an SES event in any of its shapes (JSON text or a parsed object).

    Raises ``ValueError`` when ``body`` is not JSON or holds no SES event, and
    ``pydantic.ValidationError`` when a known event type is malformed. Unknown event types
    give an ``UnknownSESEvent``.
    """
    data = _json_object(body) if isinstance(body, str | bytes) else dict(body)
    if data is None:
        raise ValueError("the body is not a JSON object")
    record = unwrap_ses_event(data)
    if record is None:
        raise ValueError(
            "the body holds no SES event (expected an SNS notification, an EventBridge event "
            "from aws.ses, or an object with eventType/notificationType and mail)"
        )
    return ses_event_adapter.validate_python(record.event)


def _names_event_type(data: Mapping[str, Any]) -> bool:
    kind = data.get("eventType", data.get("notificationType"))
    return isinstance(kind, str)


def _json_object(text: str | bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
