"""Queue drivers: where enqueued jobs go.

The names below are imported on first use: an app on SQS does not load the mock driver.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from glasswork.lazy_exports import lazy_attributes

if TYPE_CHECKING:
    from glasswork.jobs.drivers.base import OutgoingMessage, QueueDriver, SendReceipt
    from glasswork.jobs.drivers.mock import EnqueuedJob, MockQueueDriver
    from glasswork.jobs.drivers.scheduler_config import SchedulerConfig
    from glasswork.jobs.drivers.sqs import SQSQueueDriver

_EXPORTS = {
    "EnqueuedJob": "glasswork.jobs.drivers.mock",
    "MockQueueDriver": "glasswork.jobs.drivers.mock",
    "OutgoingMessage": "glasswork.jobs.drivers.base",
    "QueueDriver": "glasswork.jobs.drivers.base",
    "SQSQueueDriver": "glasswork.jobs.drivers.sqs",
    "SchedulerConfig": "glasswork.jobs.drivers.scheduler_config",
    "SendReceipt": "glasswork.jobs.drivers.base",
}

__all__ = [
    "EnqueuedJob",
    "MockQueueDriver",
    "OutgoingMessage",
    "QueueDriver",
    "SQSQueueDriver",
    "SchedulerConfig",
    "SendReceipt",
]


__getattr__ = lazy_attributes("glasswork.jobs.drivers", _EXPORTS, globals())
