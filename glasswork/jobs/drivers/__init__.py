"""Queue drivers: where enqueued jobs go."""

from glasswork.jobs.drivers.base import OutgoingMessage, QueueDriver, SendReceipt
from glasswork.jobs.drivers.mock import EnqueuedJob, MockQueueDriver
from glasswork.jobs.drivers.scheduler import SchedulerConfig
from glasswork.jobs.drivers.sqs import SQSQueueDriver

__all__ = [
    "EnqueuedJob",
    "MockQueueDriver",
    "OutgoingMessage",
    "QueueDriver",
    "SQSQueueDriver",
    "SchedulerConfig",
    "SendReceipt",
]
