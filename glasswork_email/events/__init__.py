"""SES delivery events: typed models, their three wire shapes, and the handler job.

Imported on first use: the sending path needs only ``events.tags`` (the tag and header names),
not the event models, and ``define_ses_event_handlers`` imports them with the first event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from glasswork.lazy_exports import exports_by_module, lazy_attributes

if TYPE_CHECKING:
    from glasswork_email.events.bounce_policy import TransientBouncePolicy
    from glasswork_email.events.details import (
        Bounce,
        BouncedRecipient,
        Click,
        ComplainedRecipient,
        Complaint,
        DelayedRecipient,
        Delivery,
        DeliveryDelay,
        Open,
        Reject,
        RenderingFailure,
        Subscription,
    )
    from glasswork_email.events.handlers import (
        SES_EVENT_JOB_NAME,
        SUPPRESSION_STORE_PROVIDER,
        define_ses_event_handlers,
        ses_message_adapter,
    )
    from glasswork_email.events.mail import SendingContext, SESMail
    from glasswork_email.events.models import (
        BounceEvent,
        ClickEvent,
        ComplaintEvent,
        DeliveryDelayEvent,
        DeliveryEvent,
        OpenEvent,
        RejectEvent,
        RenderingFailureEvent,
        SendEvent,
        SESEvent,
        SESEventBase,
        SubscriptionEvent,
        UnknownSESEvent,
        ses_event_adapter,
    )
    from glasswork_email.events.parsing import SESEventRecord, parse_ses_event, unwrap_ses_event
    from glasswork_email.events.suppressing import record_suppressions

_MODULES = {
    "details": (
        "Bounce BouncedRecipient Click ComplainedRecipient Complaint DelayedRecipient Delivery "
        "DeliveryDelay Open Reject RenderingFailure Subscription"
    ),
    "handlers": (
        "SES_EVENT_JOB_NAME SUPPRESSION_STORE_PROVIDER define_ses_event_handlers "
        "ses_message_adapter"
    ),
    "mail": "SESMail SendingContext",
    "models": (
        "BounceEvent ClickEvent ComplaintEvent DeliveryDelayEvent DeliveryEvent OpenEvent "
        "RejectEvent RenderingFailureEvent SESEvent SESEventBase SendEvent SubscriptionEvent "
        "UnknownSESEvent ses_event_adapter"
    ),
    "parsing": "SESEventRecord parse_ses_event unwrap_ses_event",
    "bounce_policy": "TransientBouncePolicy",
    "suppressing": "record_suppressions",
}
_EXPORTS = exports_by_module("glasswork_email.events", _MODULES)

__all__ = [
    "SES_EVENT_JOB_NAME",
    "SUPPRESSION_STORE_PROVIDER",
    "Bounce",
    "BounceEvent",
    "BouncedRecipient",
    "Click",
    "ClickEvent",
    "ComplainedRecipient",
    "Complaint",
    "ComplaintEvent",
    "DelayedRecipient",
    "Delivery",
    "DeliveryDelay",
    "DeliveryDelayEvent",
    "DeliveryEvent",
    "Open",
    "OpenEvent",
    "Reject",
    "RejectEvent",
    "RenderingFailure",
    "RenderingFailureEvent",
    "SESEvent",
    "SESEventBase",
    "SESEventRecord",
    "SESMail",
    "SendEvent",
    "SendingContext",
    "Subscription",
    "SubscriptionEvent",
    "TransientBouncePolicy",
    "UnknownSESEvent",
    "define_ses_event_handlers",
    "parse_ses_event",
    "record_suppressions",
    "ses_event_adapter",
    "ses_message_adapter",
    "unwrap_ses_event",
]


__getattr__ = lazy_attributes("glasswork_email.events", _EXPORTS, globals())
