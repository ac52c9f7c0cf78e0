"""The worker: runs jobs from SQS batches (Lambda), direct invocations and a long-running poller.

``handler = bootstrap_worker(AppModule)`` is the whole Lambda entry point.
"""

from glasswork.worker.bootstrap import Worker, bootstrap_worker
from glasswork.worker.dead_letter import DeadLetterReason
from glasswork.worker.direct import UnsupportedEventError
from glasswork.worker.events import BatchResponse, SQSEvent, SQSRecord
from glasswork.worker.hooks import JobEvent, WorkerHooks
from glasswork.worker.outcome import Outcome, RecordResult
from glasswork.worker.parsing import PoisonMessageError
from glasswork.worker.registry import UnknownJobError

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
