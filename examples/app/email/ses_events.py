"""What the shop does with SES's delivery events: the ``ses-event`` job and its handlers.

Bounces and complaints are also written to the suppression store by the built-in handling,
so the shop never mails those addresses again; the handlers here only log, where a real shop
would flag the customer's address in its own records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from glasswork import JobContext
from glasswork_email.events import define_ses_event_handlers

if TYPE_CHECKING:
    # Only for the annotations: the worker imports the event models with the first SES event.
    from glasswork_email.events import BounceEvent, ComplaintEvent


def on_bounce(event: BounceEvent, ctx: JobContext) -> None:
    """Log which email bounced, with the job that sent it."""
    sent = event.sending_context
    for recipient in event.bounce.bounced_recipients:
        ctx.logger.info(
            "%s bounced (%s/%s): %s email of job %s",
            recipient.email_address,
            event.bounce.bounce_type,
            event.bounce.bounce_sub_type,
            sent.template,
            sent.idempotency_key,
        )


def on_complaint(event: ComplaintEvent, ctx: JobContext) -> None:
    """Log a complaint, with the template that drew it."""
    ctx.logger.warning(
        "complaint (%s) about a %s email",
        event.complaint.complaint_feedback_type,
        event.mail.sending_context.template,
    )


ses_events = define_ses_event_handlers(on_bounce=on_bounce, on_complaint=on_complaint)
"""The job the worker runs for every SES event arriving on the queue."""
