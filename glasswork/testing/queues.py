"""A queue with its dead-letter queue, for tests on the local AWS server (or on AWS).

    queue = create_queue_with_dlq(local_aws.client("sqs"), "jobs")
    JobService(SQSQueueDriver({"default": queue.url}))

The source queue's redrive policy names the dead-letter queue, as in a deployment, so the
worker finds the DLQ the way it does in Lambda.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = ["DEFAULT_TEST_MAX_RECEIVE_COUNT", "QueueWithDLQ", "create_queue_with_dlq", "queue_arn"]

DEFAULT_TEST_MAX_RECEIVE_COUNT = 50
"""The redrive policy's ``maxReceiveCount`` unless told otherwise: high, so the worker's own
retry policy, not SQS's redrive, decides when a job is dead-lettered."""


@dataclass(frozen=True)
class QueueWithDLQ:
    """A source queue and the dead-letter queue its redrive policy names.

    Parameters:
        url: the source queue's URL.
        arn: the source queue's ARN (an SQS record's ``eventSourceARN``).
        dead_letter_url: the dead-letter queue's URL.
        dead_letter_arn: the dead-letter queue's ARN.
    """

    url: str
    arn: str
    dead_letter_url: str
    dead_letter_arn: str


def queue_arn(sqs: Any, url: str) -> str:
    """The ARN of the queue at ``url``."""
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return str(attributes["Attributes"]["QueueArn"])


def create_queue_with_dlq(
    sqs: Any,
    name: str,
    *,
    fifo: bool = False,
    max_receive_count: int = DEFAULT_TEST_MAX_RECEIVE_COUNT,
    attributes: dict[str, str] | None = None,
) -> QueueWithDLQ:
    """Create the queue ``name`` and ``name-dlq`` (``name.fifo`` / ``name-dlq.fifo`` for FIFO).

    Parameters:
        sqs: an SQS boto3 client.
        name: the source queue's name, without ``.fifo``.
        fifo: make both FIFO queues (default ``False``).
        max_receive_count: the redrive policy's receive count (default 50).
        attributes: more attributes of the source queue (e.g. ``VisibilityTimeout``).
    """
    suffix = ".fifo" if fifo else ""
    fifo_attributes = {"FifoQueue": "true"} if fifo else {}
    dead_url = sqs.create_queue(QueueName=f"{name}-dlq{suffix}", Attributes=fifo_attributes)[
        "QueueUrl"
    ]
    dead_arn = queue_arn(sqs, dead_url)
    redrive = {"deadLetterTargetArn": dead_arn, "maxReceiveCount": max_receive_count}
    url = sqs.create_queue(
        QueueName=f"{name}{suffix}",
        Attributes={
            **fifo_attributes,
            **(attributes or {}),
            "RedrivePolicy": json.dumps(redrive),
        },
    )["QueueUrl"]
    return QueueWithDLQ(str(url), queue_arn(sqs, url), str(dead_url), dead_arn)
