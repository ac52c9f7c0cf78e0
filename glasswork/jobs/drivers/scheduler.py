"""One-time EventBridge Scheduler schedules that put a job message on a queue later.

SQS delays stop at 15 minutes; anything later (and any delay on a FIFO queue) becomes an
``at(...)`` schedule that deletes itself after it fires. ``SchedulerConfig`` lives in
``scheduler_config.py`` (re-exported here): an app names it when it builds its driver, and the
scheduler itself is imported only with the first delivery that needs it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from glasswork.jobs.drivers.scheduler_config import SchedulerConfig
from glasswork.jobs.errors import PayloadTooLargeError

if TYPE_CHECKING:
    from glasswork.jobs.drivers.base import OutgoingMessage
    from glasswork.jobs.drivers.queue_address import QueueAddress

__all__ = ["SCHEDULER_MAX_INPUT_BYTES", "OneTimeScheduler", "SchedulerConfig", "schedule_name_for"]

logger = logging.getLogger(__name__)

SCHEDULER_MAX_INPUT_BYTES = 262_144
"""Largest target input EventBridge Scheduler accepts (256 KB), in bytes."""

SCHEDULE_NAME_MAX_LENGTH = 64
"""EventBridge Scheduler's limit on a schedule name, in characters."""


def schedule_name_for(message: OutgoingMessage) -> str:
    """A schedule name unique to the job: ``<job name>-<job id>``, within 64 characters."""
    room = SCHEDULE_NAME_MAX_LENGTH - len(message.job_id) - 1
    return f"{message.job_name[:room]}-{message.job_id}" if room > 0 else message.job_id[:64]


class OneTimeScheduler:
    """Creates and cancels one-time schedules targeting SQS queues.

    Parameters:
        client: a boto3 ``scheduler`` client.
        config: the ``SchedulerConfig``.
    """

    def __init__(self, client: Any, config: SchedulerConfig) -> None:
        self.client = client
        self.config = config

    def schedule(self, message: OutgoingMessage, queue: QueueAddress, at: datetime) -> str:
        """Create a schedule putting ``message`` on ``queue`` at ``at``; returns its name."""
        size = len(message.body.encode())
        if size > SCHEDULER_MAX_INPUT_BYTES:
            raise PayloadTooLargeError(message.job_name, size, SCHEDULER_MAX_INPUT_BYTES)
        name = schedule_name_for(message)
        target: dict[str, Any] = {
            "Arn": queue.arn,
            "RoleArn": self.config.role_arn,
            "Input": message.body,
        }
        if queue.is_fifo:
            target["SqsParameters"] = {"MessageGroupId": message.group_id}
        if self.config.dead_letter_arn:
            target["DeadLetterConfig"] = {"Arn": self.config.dead_letter_arn}
        when = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
        self.client.create_schedule(
            Name=name,
            GroupName=self.config.group_name,
            ScheduleExpression=f"at({when})",
            ScheduleExpressionTimezone="UTC",
            FlexibleTimeWindow={"Mode": "OFF"},
            Target=target,
            ActionAfterCompletion="DELETE",
            Description=f"Glasswork job {message.job_name} {message.job_id}",
        )
        logger.debug(
            "scheduled job %s (%s) at %s as %s", message.job_name, message.job_id, when, name
        )
        return name

    def cancel(self, name: str) -> None:
        """Delete the schedule ``name`` in the configured group."""
        self.client.delete_schedule(Name=name, GroupName=self.config.group_name)
