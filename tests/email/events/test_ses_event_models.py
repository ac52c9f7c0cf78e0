"""Specification of the SES event models and their three wire shapes.

The fixtures follow the example records of AWS's SES developer guide ("Examples of event data
that Amazon SES publishes to Amazon SNS"), with our own tags and header added.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from glasswork_email.events import (
    BounceEvent,
    ClickEvent,
    ComplaintEvent,
    DeliveryDelayEvent,
    DeliveryEvent,
    OpenEvent,
    RejectEvent,
    RenderingFailureEvent,
    SendEvent,
    SubscriptionEvent,
    UnknownSESEvent,
    parse_ses_event,
    ses_event_adapter,
    unwrap_ses_event,
)

FIXTURES = Path(__file__).parent / "fixtures"

EXPECTED = {
    "send": (SendEvent, "Email Sent"),
    "delivery": (DeliveryEvent, "Email Delivered"),
    "bounce": (BounceEvent, "Email Bounced"),
    "complaint": (ComplaintEvent, "Email Complaint Received"),
    "reject": (RejectEvent, "Email Rejected"),
    "delivery_delay": (DeliveryDelayEvent, "Email Delivery Delayed"),
    "open": (OpenEvent, "Email Opened"),
    "click": (ClickEvent, "Email Clicked"),
    "rendering_failure": (RenderingFailureEvent, "Email Rendering Failed"),
    "subscription": (SubscriptionEvent, "Email Subscribed"),
}


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return data


def sns_envelope(event: dict[str, Any]) -> dict[str, Any]:
    return {
        "Type": "Notification",
        "MessageId": "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
        "TopicArn": "arn:aws:sns:us-east-1:123456789012:ses-events",
        "Message": json.dumps(event),
        "Timestamp": "2017-08-05T00:41:03.000Z",
        "SignatureVersion": "1",
    }


def eventbridge_event(event: dict[str, Any], detail_type: str) -> dict[str, Any]:
    return {
        "version": "0",
        "id": "a5c5c5b1-7c5e-4d0e-9e0f-1b2c3d4e5f60",
        "detail-type": detail_type,
        "source": "aws.ses",
        "account": "123456789012",
        "time": "2017-08-05T00:41:03Z",
        "region": "us-east-1",
        "resources": [],
        "detail": event,
    }


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_event_type_parses_to_its_model_in_all_three_shapes(name: str) -> None:
    model, detail_type = EXPECTED[name]
    event = fixture(name)
    shapes = [event, sns_envelope(event), eventbridge_event(event, detail_type)]
    for shape in shapes:
        parsed = parse_ses_event(json.dumps(shape))
        assert type(parsed) is model
        assert parsed.mail is not None
        assert parsed.mail.message_id.startswith("EXAMPLE7c191be45")


def test_an_eventbridge_detail_without_event_type_is_typed_by_its_detail_type() -> None:
    event = fixture("complaint")
    del event["eventType"]
    parsed = parse_ses_event(eventbridge_event(event, "Email Complaint Received"))
    assert isinstance(parsed, ComplaintEvent)


def test_a_bounce_carries_every_recipient_and_its_type() -> None:
    event = fixture("bounce")
    event["bounce"]["bouncedRecipients"].append({"emailAddress": "second@example.com"})
    parsed = parse_ses_event(event)
    assert isinstance(parsed, BounceEvent)
    assert parsed.bounce.is_permanent and not parsed.bounce.is_transient
    assert parsed.bounce.bounce_sub_type == "General"
    assert parsed.bounce.reporting_mta == "dsn; mta.example.com"
    assert [r.email_address for r in parsed.bounce.bounced_recipients] == [
        "recipient@example.com",
        "second@example.com",
    ]
    assert parsed.bounce.bounced_recipients[0].diagnostic_code == "smtp; 550 5.1.1 user unknown"


def test_a_complaint_carries_its_feedback_type_and_recipients() -> None:
    parsed = parse_ses_event(fixture("complaint"))
    assert isinstance(parsed, ComplaintEvent)
    assert parsed.complaint.complaint_feedback_type == "abuse"
    assert [r.email_address for r in parsed.complaint.complained_recipients] == [
        "recipient@example.com"
    ]


def test_an_event_carries_back_the_template_and_idempotency_key_it_was_sent_with() -> None:
    context = parse_ses_event(fixture("bounce")).sending_context
    assert context.template == "welcome"
    assert context.idempotency_key == "job-0001"
    assert context.configuration_set == "transactional"
    assert context.ses_message_id.startswith("EXAMPLE7c191be45")


def test_the_idempotency_key_header_stands_in_when_the_tag_is_missing() -> None:
    event = fixture("delivery")
    del event["mail"]["tags"]["idempotency_key"]
    assert parse_ses_event(event).sending_context.idempotency_key == "job-0001"


def test_an_identity_notification_is_typed_by_its_notification_type() -> None:
    parsed = parse_ses_event(sns_envelope(fixture("identity_bounce")))
    assert isinstance(parsed, BounceEvent)
    assert parsed.bounce.is_transient
    assert parsed.sending_context.template is None


@pytest.mark.parametrize(
    "event",
    [
        {
            "eventType": "Quarantine",
            "mail": {"timestamp": "2017-08-05T00:40:02Z", "messageId": "x"},
        },
        {"notificationType": "AmazonSnsSubscriptionSucceeded", "message": "ok"},
    ],
)
def test_an_unknown_event_type_is_a_generic_event_with_every_field_kept(
    event: dict[str, Any],
) -> None:
    parsed = parse_ses_event(sns_envelope(event))
    assert isinstance(parsed, UnknownSESEvent)
    assert parsed.event_type == event.get("eventType", event.get("notificationType"))


def test_a_known_type_with_a_malformed_body_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        parse_ses_event({"eventType": "Bounce", "mail": fixture("bounce")["mail"]})


def test_the_unknown_fixture_keeps_its_own_fields() -> None:
    parsed = parse_ses_event(fixture("unknown"))
    assert isinstance(parsed, UnknownSESEvent)
    assert parsed.event_type == "Quarantine"
    assert parsed.model_extra == {"quarantine": {"reason": "a future event type"}}
    assert parsed.mail is not None and parsed.mail.tag("template") == "welcome"


def test_other_ses_events_on_the_event_bus_are_generic_events() -> None:
    body = eventbridge_event({"status": "disabled"}, "Sending Status Disabled")
    parsed = parse_ses_event(body)
    assert isinstance(parsed, UnknownSESEvent)
    assert parsed.event_type == "Sending Status Disabled"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_an_event_survives_the_job_payload_round_trip(name: str) -> None:
    parsed = parse_ses_event(fixture(name))
    dumped = ses_event_adapter.dump_python(parsed, mode="json")
    assert ses_event_adapter.validate_python(json.loads(json.dumps(dumped))) == parsed


@pytest.mark.parametrize(
    "body",
    [
        {"jobName": "x"},
        {"Type": "Notification", "Message": "not json"},
        {"Type": "Notification", "Message": json.dumps({"hello": "world"})},
        {"source": "aws.s3", "detail": {"eventType": "Bounce"}},
        {"eventType": "Bounce"},
    ],
)
def test_bodies_that_hold_no_ses_event_are_not_claimed(body: dict[str, Any]) -> None:
    assert unwrap_ses_event(body) is None
    with pytest.raises(ValueError, match="no SES event"):
        parse_ses_event(body)


def test_the_envelope_id_is_kept_as_the_delivery_id() -> None:
    record = unwrap_ses_event(sns_envelope(fixture("send")))
    assert record is not None
    assert (record.shape, record.delivery_id) == ("sns", "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324")
