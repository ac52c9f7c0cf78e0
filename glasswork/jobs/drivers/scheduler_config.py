"""``SchedulerConfig``: the settings of EventBridge Scheduler deliveries (delays beyond SQS's).

Apart from the scheduler (``scheduler.py``) because an application builds it with its driver
at import, while the scheduler is needed only by a delay over 15 minutes (or on a FIFO queue).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SchedulerConfig"]


@dataclass(frozen=True)
class SchedulerConfig:
    """Settings for delays beyond SQS's 15 minutes.

    Parameters:
        role_arn: IAM role EventBridge Scheduler assumes to send to the queue
            (needs ``sqs:SendMessage`` on it).
        group_name: schedule group the one-time schedules are created in (default ``"default"``).
        dead_letter_arn: optional SQS queue ARN where Scheduler puts deliveries it could not make.
    """

    role_arn: str
    group_name: str = "default"
    dead_letter_arn: str | None = None
