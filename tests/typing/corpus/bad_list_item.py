"""A wrong type inside a list item is rejected by both checkers."""

from datetime import UTC, datetime
from decimal import Decimal

from emails import OrderConfirmationContext, OrderConfirmationItem

OrderConfirmationItem(name="Mouse", price=Decimal("1"), on_sale="yes")  # expect-error
mouse = OrderConfirmationItem(name="Mouse", price=Decimal("1"))
total = Decimal("1")
at = datetime(2026, 3, 1, tzinfo=UTC)
OrderConfirmationContext(
    order_number="1",
    total=total,
    tracking_url="u",
    currency="EUR",
    placed_at=at,
    items=[mouse, "P"],
)  # expect-error
