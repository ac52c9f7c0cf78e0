"""Where orders are kept (in memory: the example has no database)."""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime
from decimal import Decimal

from pydantic import BaseModel


class OrderLine(BaseModel):
    """One product in an order."""

    name: str
    price: Decimal
    on_sale: bool = False


class Address(BaseModel):
    """A shipping address."""

    street: str
    city: str
    zip: str


class Order(BaseModel):
    """A placed order."""

    id: str
    number: str
    user_id: str
    lines: list[OrderLine]
    shipping_address: Address | None = None
    currency: str = "USD"
    """The ISO 4217 code the prices are in."""
    placed_at: datetime

    @property
    def total(self) -> Decimal:
        """Sum of the line prices."""
        return sum((line.price for line in self.lines), Decimal("0"))


class OrderRepository:
    """An in-memory order table."""

    def __init__(self) -> None:
        self._orders: dict[str, Order] = {}
        self._ids = itertools.count(123)
        self._lock = threading.Lock()

    def add(
        self,
        user_id: str,
        lines: list[OrderLine],
        shipping_address: Address | None,
        currency: str = "USD",
    ) -> Order:
        """Store a new order and return it with its id and number."""
        with self._lock:
            serial = next(self._ids)
            order = Order(
                id=f"order-{serial}",
                number=f"ORD-2026-{serial:06d}",
                user_id=user_id,
                lines=lines,
                shipping_address=shipping_address,
                currency=currency,
                placed_at=datetime.now(UTC),
            )
            self._orders[order.id] = order
            return order

    def get(self, order_id: str) -> Order:
        """The order with this id; ``KeyError`` if there is none."""
        return self._orders[order_id]

    def all(self) -> list[Order]:
        """Every order, oldest first."""
        return list(self._orders.values())
