"""The notifications module."""

from __future__ import annotations

from examples.app.notifications.inbox import Inbox
from examples.app.notifications.jobs import daily_digest_job, review_reminder_job
from glasswork import define_module

notifications_module = define_module(
    "notifications",
    providers=[Inbox],
    exports=[Inbox],
    jobs=[review_reminder_job, daily_digest_job],
)
