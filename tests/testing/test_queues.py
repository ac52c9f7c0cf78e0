"""``create_queue_with_dlq``: a queue whose redrive policy names its dead-letter queue, which
the worker finds and dead-letters into (on the local AWS server)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import define_job
from glasswork.jobs.errors import PermanentJobError
from glasswork.modules import define_module
from glasswork.testing import FakeLambdaContext, create_queue_with_dlq
from glasswork.worker import bootstrap_worker
from glasswork.worker.poller import receive_records


@pytest.mark.parametrize("fifo", [False, True], ids=["standard", "fifo"])
def test_the_redrive_policy_names_the_dead_letter_queue(sqs: Any, fifo: bool) -> None:
    queue = create_queue_with_dlq(sqs, "billing", fifo=fifo, attributes={"DelaySeconds": "0"})
    suffix = ".fifo" if fifo else ""
    assert queue.url.endswith(f"/billing{suffix}") and queue.arn.endswith(f":billing{suffix}")
    assert queue.dead_letter_url.endswith(f"/billing-dlq{suffix}")
    attributes = sqs.get_queue_attributes(QueueUrl=queue.url, AttributeNames=["All"])["Attributes"]
    assert json.loads(attributes["RedrivePolicy"]) == {
        "deadLetterTargetArn": queue.dead_letter_arn,
        "maxReceiveCount": 50,
    }
    assert attributes.get("FifoQueue") == ("true" if fifo else None)


def _refuse(payload: dict[str, Any], ctx: JobContext) -> None:
    raise PermanentJobError("declined")


def test_the_worker_dead_letters_into_it(sqs: Any) -> None:
    queue = create_queue_with_dlq(sqs, "jobs")
    worker = bootstrap_worker(
        define_module("app", jobs=[define_job("refuse", _refuse)]), sqs_client=sqs
    )
    sqs.send_message(QueueUrl=queue.url, MessageBody=json.dumps({"jobName": "refuse"}))
    records = receive_records(sqs, queue.url, queue_arn=queue.arn, wait_time_seconds=1)
    assert worker({"Records": records}, FakeLambdaContext()) == {"batchItemFailures": []}
    [dead] = sqs.receive_message(QueueUrl=queue.dead_letter_url, WaitTimeSeconds=1)["Messages"]
    assert json.loads(dead["Body"]) == {"jobName": "refuse"}
