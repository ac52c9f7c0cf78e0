"""Helpers for testing Glasswork applications: a local AWS stand-in, Lambda events and ``drain``.

Nothing here is imported by the worker at run time.
"""

from glasswork.testing.drain import DrainLimitError, DrainResult, drain
from glasswork.testing.events import FakeLambdaContext, job_message, make_sqs_event, make_sqs_record
from glasswork.testing.fault_proxy import Fault, FaultProxy, ProxiedRequest
from glasswork.testing.local_aws import LocalAWS

__all__ = [
    "DrainLimitError",
    "DrainResult",
    "FakeLambdaContext",
    "Fault",
    "FaultProxy",
    "LocalAWS",
    "ProxiedRequest",
    "drain",
    "job_message",
    "make_sqs_event",
    "make_sqs_record",
]
