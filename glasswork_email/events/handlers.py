"""``define_ses_event_handlers``: one job that runs your handler for each SES event type.

The job is registered in a module like any other and run by the same worker. Its message
adapter lets the worker take SES events straight off the queue (an SNS envelope, an
EventBridge event or a raw SNS delivery, none of which has a ``jobName``); the SNS webhook
enqueues it too. Before your handler runs, bounces and complaints update the
``suppression_store`` provider when there is one.

The event models (two dozen pydantic classes) are imported with the first SES event, not
with the application: a worker that only sends email never builds them.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import TypeAdapter

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import JobDefinition
from glasswork.jobs.retry_policy import RetryPolicy
from glasswork.lazy_exports import lazy_attributes
from glasswork_email.suppression.base import SUPPRESSION_STORE_PROVIDER

if TYPE_CHECKING:
    from glasswork.jobs.message_adapter import AdaptedMessage, MessageAdapter
    from glasswork_email.events.bounce_policy import (
        DEFAULT_TRANSIENT_BOUNCE_POLICY,
        TransientBouncePolicy,
    )
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
        SubscriptionEvent,
        UnknownSESEvent,
    )

__all__ = [
    "DEFAULT_TRANSIENT_BOUNCE_POLICY",
    "SES_EVENT_JOB_NAME",
    "SUPPRESSION_STORE_PROVIDER",
    "EventHandler",
    "define_ses_event_handlers",
    "ses_message_adapter",
]

SES_EVENT_JOB_NAME = "ses-event"
"""The job name SES events run under by default."""


E = TypeVar("E")

EventHandler = Callable[[E, JobContext], Awaitable[None] | None]
"""``handler(event, ctx)`` for one event type; sync or async."""


def ses_message_adapter(job_name: str = SES_EVENT_JOB_NAME) -> MessageAdapter:
    """A ``MessageAdapter`` giving every SES event on the queue to the job ``job_name``.

    The SNS ``MessageId`` or EventBridge ``id`` becomes the job id, so redeliveries of one
    event share it.
    """

    def adapt(body: Mapping[str, Any]) -> AdaptedMessage | None:
        # Imported on the first foreign message: it loads the event models (see above).
        from glasswork.jobs.message_adapter import AdaptedMessage
        from glasswork_email.events.parsing import unwrap_ses_event

        record = unwrap_ses_event(body)
        if record is None:
            return None
        return AdaptedMessage(job_name, record.event, job_id=record.delivery_id)

    return adapt


def define_ses_event_handlers(
    *,
    on_send: EventHandler[SendEvent] | None = None,
    on_delivery: EventHandler[DeliveryEvent] | None = None,
    on_bounce: EventHandler[BounceEvent] | None = None,
    on_complaint: EventHandler[ComplaintEvent] | None = None,
    on_reject: EventHandler[RejectEvent] | None = None,
    on_delivery_delay: EventHandler[DeliveryDelayEvent] | None = None,
    on_open: EventHandler[OpenEvent] | None = None,
    on_click: EventHandler[ClickEvent] | None = None,
    on_rendering_failure: EventHandler[RenderingFailureEvent] | None = None,
    on_subscription: EventHandler[SubscriptionEvent] | None = None,
    on_unknown: EventHandler[UnknownSESEvent] | None = None,
    suppress: bool = True,
    transient_bounces: TransientBouncePolicy | None = None,
    name: str = SES_EVENT_JOB_NAME,
    queue: str = "default",
    retry: RetryPolicy | int | bool | None = None,
) -> JobDefinition[SESEvent]:
    """The job that handles SES events, each type by its own typed handler.

    Example::

        def on_bounce(event: BounceEvent, ctx: JobContext) -> None:
            ctx.services.get(Users).mark_undeliverable(event.sending_context.idempotency_key)

        ses_events = define_ses_event_handlers(on_bounce=on_bounce)
        app = define_module("app", imports=[email_module], jobs=[ses_events])

    Parameters:
        on_send ... on_subscription: the handler of each event type (default none: the event
            is acknowledged and only the built-in suppression handling runs).
        on_unknown: the handler of event types this version does not model (default none).
        suppress: record permanent bounces, repeated transient bounces and complaints in the
            ``suppression_store`` provider before the handler runs (default ``True``; nothing
            happens without that provider).
        transient_bounces: when soft bounces suppress (default ``None``:
            ``DEFAULT_TRANSIENT_BOUNCE_POLICY``, 3 within 7 days).
        name: the job's name (default ``"ses-event"``).
        queue: the queue the webhook enqueues events on (default ``"default"``).
        retry: as for ``define_job`` (default: 25 attempts, then dead-letter).
    """
    given: tuple[Callable[[Any, JobContext], Any] | None, ...] = (
        on_send,
        on_delivery,
        on_bounce,
        on_complaint,
        on_reject,
        on_delivery_delay,
        on_open,
        on_click,
        on_rendering_failure,
        on_subscription,
        on_unknown,
    )
    # By the model's class name: the models are imported with the first event, not here.
    handlers_by_name = {
        model: handler
        for model, handler in zip(_EVENT_MODELS, given, strict=True)
        if handler is not None
    }

    def built_in(event: Any, ctx: JobContext) -> Callable[[Any, JobContext], Any] | None:
        from glasswork_email.events import models
        from glasswork_email.events.suppressing import record_suppressions

        if (
            suppress
            and isinstance(event, models.BounceEvent | models.ComplaintEvent)
            and SUPPRESSION_STORE_PROVIDER in ctx.services
        ):
            store = ctx.services.get(SUPPRESSION_STORE_PROVIDER)
            for suppression in record_suppressions(event, store, transient_bounces):
                ctx.logger.info(
                    "suppressed %s (%s): %s",
                    suppression.address,
                    suppression.reason.value,
                    suppression.cause,
                )
        return handlers_by_name.get(type(event).__name__)

    if any(inspect.iscoroutinefunction(handler) for handler in handlers_by_name.values()):

        async def handle_async(event: Any, ctx: JobContext) -> None:
            handler = built_in(event, ctx)
            if handler is not None:
                result = handler(event, ctx)
                if inspect.isawaitable(result):
                    await result

        job_handler: Callable[[Any, JobContext], Any] = handle_async
    else:

        def handle(event: Any, ctx: JobContext) -> None:
            handler = built_in(event, ctx)
            if handler is not None:
                handler(event, ctx)

        job_handler = handle
    return JobDefinition(
        name,
        job_handler,
        _ses_event_adapter,
        queue=queue,
        retry=retry,
        message_adapter=ses_message_adapter(name),
    )


_EVENT_MODELS = (
    "SendEvent",
    "DeliveryEvent",
    "BounceEvent",
    "ComplaintEvent",
    "RejectEvent",
    "DeliveryDelayEvent",
    "OpenEvent",
    "ClickEvent",
    "RenderingFailureEvent",
    "SubscriptionEvent",
    "UnknownSESEvent",
)
"""The model of each ``on_...`` handler of ``define_ses_event_handlers``, in their order."""


def _ses_event_adapter() -> TypeAdapter[SESEvent]:
    from glasswork_email.events.models import ses_event_adapter

    return ses_event_adapter


# The default policy is read from bounce_policy.py on first use: a worker that never gets an
# SES event does not import it.
__getattr__ = lazy_attributes(
    __name__, {"DEFAULT_TRANSIENT_BOUNCE_POLICY": "glasswork_email.events.bounce_policy"}, globals()
)
