"""Glasswork: typed background jobs on AWS SQS + Lambda."""

from glasswork.config import Config
from glasswork.jobs import (
    BatchItem,
    EnqueueResult,
    Ignored,
    InvalidJobPayloadError,
    JobContext,
    JobDefinition,
    JobMessage,
    JobService,
    PayloadTooLargeError,
    PeriodicJobDefinition,
    PermanentJobError,
    RetryExhaustedError,
    RetryPolicy,
    TransientJobError,
    define_job,
    define_periodic_job,
)
from glasswork.jobs.drivers import MockQueueDriver, QueueDriver, SchedulerConfig, SQSQueueDriver
from glasswork.modules import Container, Module, Provider, define_module
from glasswork.worker import JobEvent, WorkerHooks, bootstrap_worker

__all__ = [
    "BatchItem",
    "Config",
    "Container",
    "EnqueueResult",
    "Ignored",
    "InvalidJobPayloadError",
    "JobContext",
    "JobDefinition",
    "JobEvent",
    "JobMessage",
    "JobService",
    "MockQueueDriver",
    "Module",
    "PayloadTooLargeError",
    "PeriodicJobDefinition",
    "PermanentJobError",
    "Provider",
    "QueueDriver",
    "RetryExhaustedError",
    "RetryPolicy",
    "SQSQueueDriver",
    "SchedulerConfig",
    "TransientJobError",
    "WorkerHooks",
    "bootstrap_worker",
    "define_job",
    "define_module",
    "define_periodic_job",
]
