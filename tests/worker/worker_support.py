"""Helpers of the worker tests: queues with a redrive policy on the local AWS server, and a
stand-in for Lambda's SQS event source mapping (imported by ``conftest.py`` and the tests)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from glasswork.testing.events import FakeLambdaContext
from glasswork.testing.queues import create_queue_with_dlq, queue_arn
from glasswork.worker import Worker
from glasswork.worker.events import BatchResponse, SQSRecord
from glasswork.worker.poller import delete_records, receive_records

REDRIVE_MAX_RECEIVE_COUNT = 50
"""High on purpose: the worker, not SQS's redrive, must dead-letter in these tests."""


@dataclass
class Queues:
    """A source queue and its dead-letter queue."""

    sqs: Any
    url: str
    arn: str
    dead_letter_url: str
    dead_letter_arn: str

    def send(self, body: str, **kwargs: Any) -> str:
        """Send a raw body to the source queue; returns the message id."""
        return str(
            self.sqs.send_message(QueueUrl=self.url, MessageBody=body, **kwargs)["MessageId"]
        )

    def receive(self, *, wait_seconds: int = 0, max_messages: int = 10) -> list[SQSRecord]:
        """Receive from the source queue as Lambda records."""
        return receive_records(
            self.sqs,
            self.url,
            queue_arn=self.arn,
            max_messages=max_messages,
            wait_time_seconds=wait_seconds,
        )

    def dead_letters(self) -> list[dict[str, Any]]:
        """Everything on the dead-letter queue (received with all attributes)."""
        messages: list[dict[str, Any]] = []
        while True:
            batch = self.sqs.receive_message(
                QueueUrl=self.dead_letter_url,
                MaxNumberOfMessages=10,
                MessageAttributeNames=["All"],
                AttributeNames=["All"],
                VisibilityTimeout=60,
            ).get("Messages", [])
            if not batch:
                return messages
            messages.extend(batch)

    def counts(self) -> tuple[int, int]:
        """(visible, in flight) messages on the source queue."""
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=self.url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return (
            int(attributes["ApproximateNumberOfMessages"]),
            int(attributes["ApproximateNumberOfMessagesNotVisible"]),
        )


def make_queues(sqs: Any, name: str, *, fifo: bool = False, redrive: bool = True) -> Queues:
    if not redrive:
        url = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
        return Queues(sqs, url, queue_arn(sqs, url), "", "")
    queue = create_queue_with_dlq(
        sqs,
        name,
        fifo=fifo,
        max_receive_count=REDRIVE_MAX_RECEIVE_COUNT,
        attributes={"VisibilityTimeout": "30"},
    )
    return Queues(sqs, queue.url, queue.arn, queue.dead_letter_url, queue.dead_letter_arn)


def deliver(
    worker: Worker, queues: Queues, *, wait_seconds: int = 1, context: Any = None
) -> tuple[BatchResponse, list[SQSRecord]]:
    """Act as Lambda's event source mapping once: receive a batch, invoke, delete successes."""
    records = queues.receive(wait_seconds=wait_seconds)
    assert records, "expected a message on the queue"
    response = worker({"Records": records}, context or FakeLambdaContext())
    assert isinstance(response, dict) and "batchItemFailures" in response
    failed = {item["itemIdentifier"] for item in response["batchItemFailures"]}
    delete_records(queues.sqs, queues.url, [r for r in records if r["messageId"] not in failed])
    return response, records  # type: ignore[return-value]
