"""What bounces and complaints do to the suppression store (the built-in handler's part).

- A permanent bounce suppresses every bounced recipient for all mail.
- A transient bounce is counted; the address is suppressed for all mail once
  ``TransientBouncePolicy.threshold`` of them fall within ``window_seconds``.
- A complaint suppresses every complained recipient for all mail, except feedback type
  ``not-spam`` (the recipient says the mail is wanted).
- An undetermined bounce is left alone (SES could not tell; AWS advises against acting).
"""

from __future__ import annotations

from glasswork_email.events.bounce_policy import TransientBouncePolicy
from glasswork_email.events.models import BounceEvent, ComplaintEvent, SESEventBase
from glasswork_email.suppression.base import Suppression, SuppressionReason, SuppressionStore

__all__ = ["TransientBouncePolicy", "record_suppressions"]


def record_suppressions(
    event: SESEventBase,
    store: SuppressionStore,
    transient_bounces: TransientBouncePolicy | None = None,
) -> list[Suppression]:
    """Add the suppressions ``event`` calls for to ``store``; return them (possibly none).

    Adding is idempotent (same address and scope replace the entry), so a redelivered event
    does no harm; only the transient-bounce count may count a redelivery twice.
    """
    transient_bounces = transient_bounces or TransientBouncePolicy()
    added: list[Suppression] = []
    if isinstance(event, BounceEvent):
        bounce = event.bounce
        cause = (
            f"Bounce {bounce.bounce_type}/{bounce.bounce_sub_type} "
            f"(SES message {event.mail.message_id}, feedback {bounce.feedback_id})"
        )
        for recipient in bounce.bounced_recipients:
            address = recipient.email_address
            if bounce.is_transient:
                if transient_bounces.threshold <= 0:
                    continue
                count = store.count_transient_bounce(
                    address, window_seconds=transient_bounces.window_seconds
                )
                if count < transient_bounces.threshold:
                    continue
                reason_cause = f"{cause}: {count} transient bounces in the window"
            elif bounce.is_permanent:
                reason_cause = cause
            else:
                continue
            added.append(
                Suppression(address, SuppressionReason.BOUNCE, None, bounce.timestamp, reason_cause)
            )
    elif isinstance(event, ComplaintEvent):
        complaint = event.complaint
        if complaint.complaint_feedback_type == "not-spam":
            return added
        cause = (
            f"Complaint {complaint.complaint_feedback_type or 'unspecified'} "
            f"(SES message {event.mail.message_id}, feedback {complaint.feedback_id})"
        )
        for complained in complaint.complained_recipients:
            added.append(
                Suppression(
                    complained.email_address,
                    SuppressionReason.COMPLAINT,
                    None,
                    complaint.timestamp,
                    cause,
                )
            )
    for suppression in added:
        store.add(suppression)
    return added
