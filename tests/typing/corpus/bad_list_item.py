"""A wrong type inside a list item is rejected by both checkers."""

from decimal import Decimal

from emails import OrderConfirmationContext, OrderConfirmationItem

OrderConfirmationItem(name="Mouse", price=Decimal("1"), on_sale="yes")  # expect-error
mouse = OrderConfirmationItem(name="Mouse", price=Decimal("1"))
total = Decimal("1")
OrderConfirmationContext(
    order_number="1", total=total, tracking_url="u", items=[mouse, "P"]
)  # expect-error
