"""The orders module."""

from __future__ import annotations

from examples.app.jobs_module import jobs_module
from examples.app.orders.repository import OrderRepository
from examples.app.orders.service import OrderService
from examples.app.settings import config_module
from examples.app.users.module import users_module
from glasswork import define_module

orders_module = define_module(
    "orders",
    imports=[config_module, jobs_module, users_module],
    providers=[OrderRepository, OrderService],
    exports=[OrderService, OrderRepository],
)
