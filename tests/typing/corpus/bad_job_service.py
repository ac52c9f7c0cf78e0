"""Misuses of the real ``JobService`` with the ``send_email`` job, rejected by both checkers."""

from emails import (
    LoginCodeContext,
    WelcomeContext,
    WelcomeGettingStartedItem,
    WelcomeUser,
    send_email,
)

from glasswork import JobService, MockQueueDriver

jobs = JobService(MockQueueDriver())
context = WelcomeContext(
    user=WelcomeUser(first_name="Ann"),
    dashboard_url="https://app.example",
    getting_started=[WelcomeGettingStartedItem(title="Invite", url="https://app.example/i")],
)
jobs.enqueue(send_email, context)  # expect-error
jobs.enqueue(send_email, {"template": "welcome", "to": "a@example.com"})  # expect-error
jobs.enqueue_in(send_email, LoginCodeContext(code="1", valid_minutes="5"), "10m")  # expect-error
