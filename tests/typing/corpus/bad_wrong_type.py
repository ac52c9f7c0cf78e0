"""A context field of the wrong type is rejected by both checkers."""

from decimal import Decimal

from emails import OrderConfirmationContext, PasswordResetContext, PasswordResetUser

user = PasswordResetUser(email="ann@example.com", first_name="Ann")
PasswordResetContext(expires_in_minutes="soon", reset_url="u", user=user)  # expect-error
PasswordResetContext(expires_in_minutes=30, reset_url="u", user="Ann")  # expect-error
OrderConfirmationContext(order_number=1, total=Decimal("1"), tracking_url="u")  # expect-error
