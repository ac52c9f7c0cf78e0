"""Helpers for testing Glasswork applications: a local AWS stand-in, Lambda events and ``drain``.

Nothing here is imported by the worker at run time.
"""

from glasswork.testing.drain import DrainLimitError, DrainResult, drain
from glasswork.testing.events import FakeLambdaContext, job_message, make_sqs_event, make_sqs_record
from glasswork.testing.fault_proxy import Fault, FaultProxy, ProxiedRequest
from glasswork.testing.local_aws import LocalAWS
from glasswork.testing.queues import QueueWithDLQ, create_queue_with_dlq

__all__ = [
    "DrainLimitError",
    "DrainResult",
    "FakeLambdaContext",
    "Fault",
    "FaultProxy",
    "LocalAWS",
    "ProxiedRequest",
    "QueueWithDLQ",
    "create_queue_with_dlq",
    "drain",
    "job_message",
    "make_sqs_event",
    "make_sqs_record",
]
