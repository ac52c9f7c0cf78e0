"""Glasswork: typed background jobs on AWS SQS + Lambda.

The names below are imported on first use, not with the package: a module that needs
``define_module`` does not pay for the worker, and the worker does not pay for the test
drivers (``MockQueueDriver``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from glasswork.lazy_exports import exports_by_module, lazy_attributes

if TYPE_CHECKING:
    from glasswork.config import Config
    from glasswork.jobs.batch_item import BatchItem
    from glasswork.jobs.context import JobContext
    from glasswork.jobs.definition import (
        JobDefinition,
        PeriodicJobDefinition,
        define_job,
        define_periodic_job,
    )
    from glasswork.jobs.drivers.base import QueueDriver
    from glasswork.jobs.drivers.mock import MockQueueDriver
    from glasswork.jobs.drivers.scheduler_config import SchedulerConfig
    from glasswork.jobs.drivers.sqs import SQSQueueDriver
    from glasswork.jobs.errors import (
        InvalidJobPayloadError,
        PayloadTooLargeError,
        PermanentJobError,
        RetryExhaustedError,
        TransientJobError,
    )
    from glasswork.jobs.ignored import Ignored
    from glasswork.jobs.message import JobMessage
    from glasswork.jobs.retry_policy import RetryPolicy
    from glasswork.jobs.service import EnqueueResult, JobService
    from glasswork.modules import Container, Module, Provider, define_module
    from glasswork.worker.bootstrap import bootstrap_worker
    from glasswork.worker.hooks import JobEvent, WorkerHooks

_MODULES = {
    "config": "Config",
    "jobs.batch_item": "BatchItem",
    "jobs.context": "JobContext",
    "jobs.definition": "JobDefinition PeriodicJobDefinition define_job define_periodic_job",
    "jobs.drivers.base": "QueueDriver",
    "jobs.drivers.mock": "MockQueueDriver",
    "jobs.drivers.scheduler_config": "SchedulerConfig",
    "jobs.drivers.sqs": "SQSQueueDriver",
    "jobs.errors": (
        "InvalidJobPayloadError PayloadTooLargeError PermanentJobError RetryExhaustedError "
        "TransientJobError"
    ),
    "jobs.ignored": "Ignored",
    "jobs.message": "JobMessage",
    "jobs.retry_policy": "RetryPolicy",
    "jobs.service": "EnqueueResult JobService",
    "modules": "Container Module Provider define_module",
    "worker.bootstrap": "bootstrap_worker",
    "worker.hooks": "JobEvent WorkerHooks",
}
_EXPORTS = exports_by_module("glasswork", _MODULES)

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


__getattr__ = lazy_attributes("glasswork", _EXPORTS, globals())
