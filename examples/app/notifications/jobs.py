"""Background jobs of the notifications module: a delayed reminder and a periodic digest."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from examples.app.notifications.inbox import Inbox
from examples.app.orders.repository import OrderRepository
from glasswork import JobContext, define_job, define_periodic_job


class ReviewReminder(BaseModel):
    """Payload: the order to ask a review for."""

    user_id: str
    order_number: str


def remind_to_review(payload: ReviewReminder, ctx: JobContext) -> None:
    """Ask the buyer of an order, a few days after it, how it went."""
    message = f"How was order {payload.order_number}? Leave a review."
    ctx.services.get(Inbox).notify(payload.user_id, message)


def build_daily_digest(payload: dict[str, Any], ctx: JobContext) -> None:
    """Tell the shop's staff how many orders came in."""
    orders = ctx.services.get(OrderRepository).all()
    ctx.services.get(Inbox).notify("staff", f"Daily digest: {len(orders)} order(s) so far")


review_reminder_job = define_job("review-reminder", remind_to_review, schema=ReviewReminder)

daily_digest_job = define_periodic_job(
    "daily-digest", build_daily_digest, schedule="cron(0 8 * * ? *)"
)
