"""Typed jobs: definitions, the wire format, the job service and its errors.

The names below are imported on first use, not with the package, so that importing one
submodule (``glasswork.jobs.definition``) does not load the others (the job service, the
queue drivers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from glasswork.lazy_exports import exports_by_module, lazy_attributes

if TYPE_CHECKING:
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

_MODULES = {
    "batch_item": "BatchItem",
    "context": "JobContext",
    "definition": "JobDefinition PeriodicJobDefinition define_job define_periodic_job",
    "errors": (
        "DuplicateJobError InvalidDelayError InvalidJobDefinitionError InvalidJobPayloadError "
        "JobError PayloadTooLargeError PermanentJobError QueueSendError RetryExhaustedError "
        "SchedulerNotConfiguredError TransientJobError UnknownQueueError"
    ),
    "ignored": "Ignored",
    "message": "JobMessage",
    "retry_policy": "RetryPolicy",
    "service": "EnqueueResult JobService",
}
_EXPORTS = exports_by_module("glasswork.jobs", _MODULES)

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


__getattr__ = lazy_attributes("glasswork.jobs", _EXPORTS, globals())
