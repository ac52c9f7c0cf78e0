"""The root module: everything the API and the worker need."""

from __future__ import annotations

from examples.app.email.module import email_module
from examples.app.jobs_module import jobs_module
from examples.app.notifications.module import notifications_module
from examples.app.orders.module import orders_module
from examples.app.settings import config_module
from examples.app.users.module import users_module
from glasswork import define_module

AppModule = define_module(
    "app",
    imports=[
        config_module,
        jobs_module,
        users_module,
        orders_module,
        notifications_module,
        email_module,
    ],
)
