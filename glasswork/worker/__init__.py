"""The worker: runs jobs from SQS batches (Lambda), direct invocations and a long-running poller.

``handler = bootstrap_worker(AppModule)`` is the whole Lambda entry point. The names below are
imported on first use, so that importing one submodule does not load the whole worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from glasswork.lazy_exports import exports_by_module, lazy_attributes

if TYPE_CHECKING:
    from glasswork.worker.bootstrap import Worker, bootstrap_worker
    from glasswork.worker.dead_letter import DeadLetterReason
    from glasswork.worker.direct import UnsupportedEventError
    from glasswork.worker.events import BatchResponse, SQSEvent, SQSRecord
    from glasswork.worker.hooks import JobEvent, WorkerHooks
    from glasswork.worker.outcome import Outcome, RecordResult
    from glasswork.worker.parsing import PoisonMessageError
    from glasswork.worker.registry import UnknownJobError

_MODULES = {
    "bootstrap": "Worker bootstrap_worker",
    "dead_letter": "DeadLetterReason",
    "direct": "UnsupportedEventError",
    "events": "BatchResponse SQSEvent SQSRecord",
    "hooks": "JobEvent WorkerHooks",
    "outcome": "Outcome RecordResult",
    "parsing": "PoisonMessageError",
    "registry": "UnknownJobError",
}
_EXPORTS = exports_by_module("glasswork.worker", _MODULES)

__all__ = [
    "BatchResponse",
    "DeadLetterReason",
    "JobEvent",
    "Outcome",
    "PoisonMessageError",
    "RecordResult",
    "SQSEvent",
    "SQSRecord",
    "UnknownJobError",
    "UnsupportedEventError",
    "Worker",
    "WorkerHooks",
    "bootstrap_worker",
]


__getattr__ = lazy_attributes("glasswork.worker", _EXPORTS, globals())
