"""Retry backoff: how long a failed job waits, and postponing its message with
``ChangeMessageVisibility``.

The message is reported failed to Lambda and stays invisible for the backoff, so SQS itself
delivers it again; nothing is re-sent and the receive count keeps counting attempts.
"""

from __future__ import annotations

import math
import random

from glasswork.jobs.errors import TransientJobError
from glasswork.jobs.retry_policy import SQS_MAX_VISIBILITY_TIMEOUT_SECONDS, RetryPolicy
from glasswork.worker.events import SQSRecord
from glasswork.worker.sqs import SQSConnection

__all__ = ["postpone_message", "retry_delay_seconds"]


def retry_delay_seconds(
    policy: RetryPolicy,
    attempt_number: int,
    error: BaseException | None,
    *,
    rng: random.Random | None = None,
) -> int:
    """Seconds before the attempt after ``attempt_number``, within SQS's 12-hour limit.

    ``TransientJobError(retry_after=...)`` sets the delay itself (rounded up to whole seconds);
    otherwise the policy's exponential backoff with equal jitter applies.
    """
    if isinstance(error, TransientJobError) and error.retry_after is not None:
        delay = math.ceil(error.retry_after)
    else:
        delay = policy.backoff_seconds(attempt_number, rng=rng)
    return max(0, min(delay, SQS_MAX_VISIBILITY_TIMEOUT_SECONDS))


def postpone_message(connection: SQSConnection, record: SQSRecord, delay_seconds: int) -> None:
    """Keep ``record``'s message invisible for ``delay_seconds`` from now."""
    region = record["awsRegion"]
    connection.client(region).change_message_visibility(
        QueueUrl=connection.queue_url(record["eventSourceARN"], region),
        ReceiptHandle=record["receiptHandle"],
        VisibilityTimeout=delay_seconds,
    )
