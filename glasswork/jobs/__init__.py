"""Typed jobs: definitions, the wire format, the job service and its errors."""

from glasswork.jobs.batch_item import BatchItem
from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import (
    JobDefinition,
    PeriodicJobDefinition,
    define_job,
    define_periodic_job,
)
from glasswork.jobs.errors import (
    DuplicateJobError,
    InvalidDelayError,
    InvalidJobDefinitionError,
    InvalidJobPayloadError,
    JobError,
    PayloadTooLargeError,
    PermanentJobError,
    QueueSendError,
    RetryExhaustedError,
    SchedulerNotConfiguredError,
    TransientJobError,
    UnknownQueueError,
)
from glasswork.jobs.ignored import Ignored
from glasswork.jobs.message import JobMessage
from glasswork.jobs.retry_policy import RetryPolicy
from glasswork.jobs.service import EnqueueResult, JobService

__all__ = [
    "BatchItem",
    "DuplicateJobError",
    "EnqueueResult",
    "Ignored",
    "InvalidDelayError",
    "InvalidJobDefinitionError",
    "InvalidJobPayloadError",
    "JobContext",
    "JobDefinition",
    "JobError",
    "JobMessage",
    "JobService",
    "PayloadTooLargeError",
    "PeriodicJobDefinition",
    "PermanentJobError",
    "QueueSendError",
    "RetryExhaustedError",
    "RetryPolicy",
    "SchedulerNotConfiguredError",
    "TransientJobError",
    "UnknownQueueError",
    "define_job",
    "define_periodic_job",
]
