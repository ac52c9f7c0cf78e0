"""Placing orders."""

from __future__ import annotations

from examples.app.emails import (
    OrderConfirmationContext,
    OrderConfirmationEmail,
    OrderConfirmationItem,
    OrderConfirmationShippingAddress,
    send_email,
)
from examples.app.notifications.jobs import ReviewReminder, review_reminder_job
from examples.app.orders.repository import Address, Order, OrderLine, OrderRepository
from examples.app.settings import AppSettings
from examples.app.users.repository import UserRepository
from glasswork import Config, JobService


class OrderService:
    """Stores orders, confirms them by email, and asks for a review three days later."""

    def __init__(
        self,
        order_repository: OrderRepository,
        user_repository: UserRepository,
        job_service: JobService,
        config: Config[AppSettings],
    ) -> None:
        self.orders = order_repository
        self.users = user_repository
        self.jobs = job_service
        self.shop_url = config.settings.shop_url

    def place(
        self,
        user_id: str,
        lines: list[OrderLine],
        address: Address | None = None,
        *,
        currency: str = "USD",
    ) -> Order:
        """Store the order; enqueue its confirmation now (in the user's locale, prices in
        ``currency``) and a review reminder in 3 days."""
        user = self.users.get(user_id)
        order = self.orders.add(user.id, lines, address, currency)
        confirmation = OrderConfirmationEmail(
            to=user.email,
            context=OrderConfirmationContext(
                name=user.name,
                order_number=order.number,
                items=[
                    OrderConfirmationItem(name=line.name, price=line.price, on_sale=line.on_sale)
                    for line in order.lines
                ],
                total=order.total,
                currency=order.currency,
                placed_at=order.placed_at,
                time_zone=user.time_zone,
                shipping_address=(
                    OrderConfirmationShippingAddress(
                        street=address.street, city=address.city, zip=address.zip
                    )
                    if address
                    else None
                ),
                tracking_url=f"{self.shop_url}/orders/{order.number}/tracking",
            ),
            idempotency_key=f"order-confirmation-{order.id}",
            locale=user.locale,
        )
        self.jobs.enqueue(send_email, confirmation)
        self.jobs.enqueue_in(
            review_reminder_job, ReviewReminder(user_id=user.id, order_number=order.number), "3d"
        )
        return order
