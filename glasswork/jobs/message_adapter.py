"""Message adapters: how a job accepts queue messages that carry no ``jobName``.

Other AWS services put their own JSON on a queue: an SNS notification envelope, an EventBridge
event. Such a body names no job, so the worker would dead-letter it as poison. A job that
expects these messages declares a ``MessageAdapter`` (``JobDefinition(message_adapter=...)``);
the worker offers every JSON object without ``jobName`` to the registered adapters, and the
first one that recognises it says which job runs it and with what payload.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["AdaptedMessage", "MessageAdapter"]


@dataclass(frozen=True, slots=True)
class AdaptedMessage:
    """What an adapter made of a foreign message body.

    Parameters:
        job_name: the job that runs it (usually the adapter's own job).
        payload: the payload, validated by the job's schema like any other.
        job_id: a stable id for the message (e.g. the SNS ``MessageId``); default: the SQS
            message id.
    """

    job_name: str
    payload: Any
    job_id: str | None = None


MessageAdapter = Callable[[Mapping[str, Any]], AdaptedMessage | None]
"""``adapter(body)``: an ``AdaptedMessage`` for a body it recognises, else ``None``.

``body`` is the parsed JSON object of the SQS message. An adapter must not raise for a body it
does not recognise; one that raises is logged and skipped.
"""
