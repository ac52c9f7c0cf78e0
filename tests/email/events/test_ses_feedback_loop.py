"""The feedback loop on the local AWS server: SES event → SNS → SQS → the same worker →
suppression in DynamoDB → the next email to that address is not sent."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from examples.app.emails import (
    WelcomeContext,
    WelcomeEmail,
    WelcomeGettingStartedItem,
    WelcomeUser,
    send_email,
    templates,
)
from glasswork import (
    JobContext,
    JobEvent,
    JobService,
    SQSQueueDriver,
    WorkerHooks,
    bootstrap_worker,
    define_module,
)
from glasswork.testing import FakeLambdaContext, LocalAWS, create_queue_with_dlq
from glasswork.worker.bootstrap import Worker
from glasswork.worker.metrics import Metrics
from glasswork.worker.poller import delete_records, receive_records
from glasswork_email import DynamoDBIdempotencyStore, SESTransport, define_email_module
from glasswork_email.events import BounceEvent, ComplaintEvent, define_ses_event_handlers
from glasswork_email.suppression import DynamoDBSuppressionStore, Suppression, SuppressionReason

FIXTURES = Path(__file__).parent / "fixtures"
ADDRESS = "bounce@simulator.amazonses.com"


class Queue:
    def __init__(self, sqs: Any, name: str) -> None:
        self.sqs = sqs
        created = create_queue_with_dlq(sqs, name)
        self.url, self.arn, self.dead_letter_url = (
            created.url,
            created.arn,
            created.dead_letter_url,
        )

    def run(self, worker: Worker) -> list[dict[str, Any]]:
        """Deliver one batch to the worker as Lambda does; every record must be acknowledged."""
        records = receive_records(self.sqs, self.url, queue_arn=self.arn, wait_time_seconds=1)
        assert records, "expected messages on the queue"
        response = worker.handle_sqs_event({"Records": records}, FakeLambdaContext())
        assert response == {"batchItemFailures": []}
        delete_records(self.sqs, self.url, records)
        return list(records)

    def dead_letters(self) -> list[dict[str, Any]]:
        messages = self.sqs.receive_message(
            QueueUrl=self.dead_letter_url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
        )
        return list(messages.get("Messages", []))


@pytest.fixture
def queue(sqs: Any) -> Queue:
    return Queue(sqs, "jobs")


@pytest.fixture
def store(local_aws: LocalAWS) -> DynamoDBSuppressionStore:
    store = DynamoDBSuppressionStore("suppressions", client=local_aws.client("dynamodb"))
    store.create_table()
    return store


@pytest.fixture
def received() -> list[Any]:
    return []


@pytest.fixture
def worker(local_aws: LocalAWS, store: DynamoDBSuppressionStore, received: list[Any]) -> Worker:
    return make_worker(local_aws, store, received)


def make_worker(
    local_aws: LocalAWS,
    store: DynamoDBSuppressionStore,
    received: list[Any],
    *,
    idempotency_store: DynamoDBIdempotencyStore | None = None,
    **options: Any,
) -> Worker:
    """The shop's worker: send_email with the suppression store (and an idempotency store),
    and SES event handlers."""
    local_aws.client("sesv2").create_email_identity(EmailIdentity="shop.example")

    def on_bounce(event: BounceEvent, ctx: JobContext) -> None:
        received.append(event)

    def on_complaint(event: ComplaintEvent, ctx: JobContext) -> None:
        received.append(event)

    email_module = define_email_module(
        transport=SESTransport(client=local_aws.client("sesv2")),
        templates=templates,
        from_="Shop <hello@shop.example>",
        send_email_job=send_email,
        suppression_store=store,
        idempotency_store=idempotency_store,
    )
    ses_events = define_ses_event_handlers(on_bounce=on_bounce, on_complaint=on_complaint)
    app = define_module("app", imports=[email_module], jobs=[ses_events])
    return bootstrap_worker(app, sqs_client=local_aws.client("sqs"), **options)


def welcome(to: str) -> WelcomeEmail:
    return WelcomeEmail(
        to=to,
        context=WelcomeContext(
            user=WelcomeUser(first_name="Ann"),
            product_name="Shop",
            dashboard_url="https://shop.example/account",
            getting_started=[
                WelcomeGettingStartedItem(title="Start", url="https://shop.example/s")
            ],
        ),
    )


def ses_sent(local_aws: LocalAWS) -> list[dict[str, Any]]:
    return list(local_aws.data()["ses"]["RawMessage"])


def event_for(name: str, address: str, *, message_id: str, key: str) -> dict[str, Any]:
    """An AWS example event re-addressed to ``address``, tagged like our sends are."""
    event: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    event["mail"]["destination"] = [address]
    event["mail"]["messageId"] = message_id
    event["mail"]["tags"]["idempotency_key"] = [key]
    for recipients in ("bouncedRecipients", "complainedRecipients"):
        for part in ("bounce", "complaint"):
            if recipients in event.get(part, {}):
                event[part][recipients] = [{"emailAddress": address}]
    return event


def test_a_bounce_through_sns_suppresses_the_address_and_the_next_email_is_not_sent(
    local_aws: LocalAWS, sqs: Any, queue: Queue, worker: Worker, store: Any, received: list[Any]
) -> None:
    jobs = JobService(SQSQueueDriver({"default": queue.url}, client=sqs))
    first = jobs.enqueue(send_email, welcome(ADDRESS))
    queue.run(worker)
    assert len(ses_sent(local_aws)) == 1

    sns = local_aws.client("sns")
    topic = sns.create_topic(Name="ses-events")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue.arn)
    bounce = event_for("bounce", ADDRESS, message_id="ses-1", key=first.job_id)
    sns.publish(TopicArn=topic, Message=json.dumps(bounce))

    [record] = queue.run(worker)
    assert json.loads(record["body"])["Type"] == "Notification", "an SNS envelope, no jobName"
    [event] = received
    assert isinstance(event, BounceEvent)
    assert event.sending_context.idempotency_key == first.job_id
    assert event.sending_context.template == "welcome"
    [suppression] = store.find([ADDRESS]).values()
    assert suppression.reason is SuppressionReason.BOUNCE
    assert "ses-1" in (suppression.cause or "")

    jobs.enqueue(send_email, welcome(f"Bounce <{ADDRESS}>"))
    queue.run(worker)
    assert len(ses_sent(local_aws)) == 1, "the suppressed address got nothing more"
    assert queue.dead_letters() == [], "suppressed is not a failure"


def test_an_eventbridge_complaint_on_the_queue_is_handled_without_a_job_name(
    queue: Queue, worker: Worker, store: Any, received: list[Any]
) -> None:
    complaint = event_for("complaint", "ann@example.com", message_id="ses-2", key="k")
    queue.sqs.send_message(
        QueueUrl=queue.url,
        MessageBody=json.dumps(
            {
                "version": "0",
                "id": "eb-1",
                "detail-type": "Email Complaint Received",
                "source": "aws.ses",
                "detail": complaint,
            }
        ),
    )
    queue.run(worker)
    assert [type(event) for event in received] == [ComplaintEvent]
    assert store.find(["ann@example.com"])["ann@example.com"].reason is SuppressionReason.COMPLAINT


def test_event_types_without_a_handler_are_acknowledged_not_dead_lettered(
    queue: Queue, worker: Worker, received: list[Any]
) -> None:
    for name in ("delivery", "open", "unknown"):
        event = event_for(name, "ann@example.com", message_id=f"ses-{name}", key="k")
        queue.sqs.send_message(QueueUrl=queue.url, MessageBody=json.dumps(event))
    queue.run(worker)
    assert received == []
    assert queue.dead_letters() == []


def test_a_body_without_job_name_that_is_no_ses_event_is_still_poison(
    queue: Queue, worker: Worker
) -> None:
    queue.sqs.send_message(QueueUrl=queue.url, MessageBody=json.dumps({"hello": "world"}))
    queue.run(worker)
    [dead] = queue.dead_letters()
    assert json.loads(dead["Body"]) == {"hello": "world"}


def test_an_email_to_suppressed_recipients_only_is_reported_ignored_suppressed(
    local_aws: LocalAWS,
    queue: Queue,
    store: DynamoDBSuppressionStore,
    received: list[Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    store.add(Suppression(ADDRESS, SuppressionReason.BOUNCE))
    completed: list[JobEvent] = []
    failed: list[JobEvent] = []
    metric_lines: list[str] = []
    worker = make_worker(
        local_aws,
        store,
        received,
        hooks=WorkerHooks(on_job_complete=completed.append, on_job_failed=failed.append),
        metrics=Metrics(write=metric_lines.append),
    )
    jobs = JobService(SQSQueueDriver({"default": queue.url}, client=queue.sqs))
    enqueued = jobs.enqueue(send_email, welcome(ADDRESS))

    with caplog.at_level("INFO"):
        queue.run(worker)

    assert ses_sent(local_aws) == []
    assert queue.dead_letters() == []
    [line] = [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "glasswork.worker"
    ]
    assert (line["job_id"], line["outcome"], line["reason"]) == (
        enqueued.job_id,
        "ignored",
        "suppressed",
    )
    assert [(event.outcome, event.reason) for event in completed] == [("ignored", "suppressed")]
    assert failed == []
    [document] = map(json.loads, metric_lines)
    assert (document["JobName"], document["Ignored"]) == ("send-email", 1)
    assert "Succeeded" not in document


def test_bootstrap_makes_the_stores_clients_so_the_first_batch_makes_none(
    local_aws: LocalAWS,
    queue: Queue,
    store: DynamoDBSuppressionStore,
    received: list[Any],
    clients_made: Counter[str],
) -> None:
    store.add(Suppression(ADDRESS, SuppressionReason.BOUNCE))
    DynamoDBIdempotencyStore("idempotency", client=local_aws.client("dynamodb")).create_table()
    endpoint = local_aws.endpoint_url
    suppressions = DynamoDBSuppressionStore(store.table_name, endpoint_url=endpoint)
    idempotency = DynamoDBIdempotencyStore("idempotency", endpoint_url=endpoint)
    made_before = clients_made["dynamodb"]

    worker = make_worker(local_aws, suppressions, received, idempotency_store=idempotency)
    assert clients_made["dynamodb"] - made_before == 2, "one client per store, at init"

    jobs = JobService(SQSQueueDriver({"default": queue.url}, client=queue.sqs))
    jobs.enqueue(send_email, welcome("ann@example.com"))
    jobs.enqueue(send_email, welcome(ADDRESS))
    made_at_init = clients_made["dynamodb"]
    queue.run(worker)
    assert clients_made["dynamodb"] == made_at_init, "the first batch makes no DynamoDB client"
    assert len(ses_sent(local_aws)) == 1, "ann's email; the suppressed one is not sent"
