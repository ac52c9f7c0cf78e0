"""Dead letters made by the real worker on the local SQS, for the ``glasswork.dlq`` tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import define_job
from glasswork.jobs.errors import PermanentJobError
from glasswork.jobs.retry_policy import RetryPolicy
from glasswork.modules import define_module
from glasswork.testing.events import FakeLambdaContext
from glasswork.testing.queues import create_queue_with_dlq
from glasswork.worker import bootstrap_worker
from glasswork.worker.poller import delete_records, receive_records


def _refuse(payload: dict[str, Any], ctx: JobContext) -> None:
    raise PermanentJobError(f"account {payload.get('account')} is closed")


def _flaky(payload: dict[str, Any], ctx: JobContext) -> None:
    raise TimeoutError("upstream timed out")


CHARGE = define_job("charge", _refuse)
SYNC = define_job(
    "sync", _flaky, retry=RetryPolicy(max_attempts=1, min_backoff_seconds=0, max_backoff_seconds=0)
)
APP = define_module("ops", jobs=[CHARGE, SYNC])


def body(job_name: str, payload: dict[str, Any], job_id: str) -> str:
    """A job message body."""
    return json.dumps(
        {
            "jobName": job_name,
            "payload": payload,
            "jobId": job_id,
            "enqueuedAt": datetime.now(UTC).isoformat(),
        }
    )


def make_queues(sqs: Any, name: str = "ops") -> tuple[str, str]:
    """A source queue with a redrive policy to its DLQ: (source URL, DLQ URL)."""
    queue = create_queue_with_dlq(sqs, name)
    return queue.url, queue.dead_letter_url


def dead_letter(sqs: Any, source: str, bodies: list[str]) -> None:
    """Send ``bodies`` to ``source`` and let the worker dead-letter every one."""
    for item in bodies:
        sqs.send_message(QueueUrl=source, MessageBody=item)
    arn = sqs.get_queue_attributes(QueueUrl=source, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    worker = bootstrap_worker(APP, sqs_client=sqs)
    left = len(bodies)
    while left:
        records = receive_records(sqs, source, queue_arn=arn, wait_time_seconds=0)
        assert records, "messages went missing"
        response = worker({"Records": records}, FakeLambdaContext())
        assert isinstance(response, dict) and response["batchItemFailures"] == []
        delete_records(sqs, source, records)
        left -= len(records)
    worker.close()


def counts(sqs: Any, url: str) -> tuple[int, int]:
    """(visible, in flight) on ``url``."""
    attributes = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return (
        int(attributes["ApproximateNumberOfMessages"]),
        int(attributes["ApproximateNumberOfMessagesNotVisible"]),
    )
