"""The DynamoDB-backed stores' shared client: made on first use, or at the worker's init by
``warm_up``, so the first batch does not pay for it (on the local AWS server)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from examples.app.emails import (
    WelcomeContext,
    WelcomeEmail,
    WelcomeGettingStartedItem,
    WelcomeUser,
    send_email,
    templates,
)
from glasswork import JobService, SQSQueueDriver, bootstrap_worker, define_module
from glasswork.dynamodb_tables import LazyDynamoDBClient
from glasswork.idempotency import DynamoDBIdempotencyStore
from glasswork.testing import FakeLambdaContext, LocalAWS
from glasswork.worker.poller import receive_records
from glasswork_email import define_email_module
from glasswork_email.suppression import DynamoDBSuppressionStore, Suppression, SuppressionReason
from glasswork_email.transports.mock import MockTransport


def test_the_client_is_made_once_by_warm_up_and_then_reused(
    local_aws: LocalAWS, clients_made: Counter[str]
) -> None:
    lazy = LazyDynamoDBClient(endpoint_url=local_aws.endpoint_url)
    assert not lazy.is_made and clients_made["dynamodb"] == 0
    lazy.warm_up()
    assert lazy.is_made and clients_made["dynamodb"] == 1
    client = lazy.get()
    lazy.warm_up()
    assert lazy.get() is client and clients_made["dynamodb"] == 1
    assert "TableNames" in client.list_tables()


def test_a_given_client_is_used_and_nothing_is_made(
    local_aws: LocalAWS, clients_made: Counter[str]
) -> None:
    given = local_aws.client("dynamodb")
    made_before = clients_made["dynamodb"]
    lazy = LazyDynamoDBClient(given)
    lazy.warm_up()
    assert lazy.get() is given and clients_made["dynamodb"] == made_before


def welcome(to: str) -> WelcomeEmail:
    return WelcomeEmail(
        to=to,
        context=WelcomeContext(
            user=WelcomeUser(first_name="Ann"),
            product_name="Shop",
            dashboard_url="https://shop.example/account",
            getting_started=[WelcomeGettingStartedItem(title="Start", url="https://shop.example/")],
        ),
    )


def test_bootstrap_warms_both_stores_so_the_first_batch_makes_no_client(
    local_aws: LocalAWS, sqs: Any, clients_made: Counter[str]
) -> None:
    endpoint = local_aws.endpoint_url
    suppressions = DynamoDBSuppressionStore("suppressions", endpoint_url=endpoint)
    idempotency = DynamoDBIdempotencyStore("idempotency", endpoint_url=endpoint)
    setup = local_aws.client("dynamodb")
    DynamoDBSuppressionStore("suppressions", client=setup).create_table()
    DynamoDBIdempotencyStore("idempotency", client=setup).create_table()
    DynamoDBSuppressionStore("suppressions", client=setup).add(
        Suppression("gone@example.com", SuppressionReason.BOUNCE)
    )
    made_before = clients_made["dynamodb"]
    transport = MockTransport()
    app = define_module(
        "app",
        imports=[
            define_email_module(
                transport=transport,
                templates=templates,
                from_="Shop <hello@shop.example>",
                send_email_job=send_email,
                suppression_store=suppressions,
                idempotency_store=idempotency,
            )
        ],
    )

    worker = bootstrap_worker(app, sqs_client=sqs)
    assert clients_made["dynamodb"] - made_before == 2, "one client per store, at init"

    url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    jobs = JobService(SQSQueueDriver({"default": url}, client=sqs))
    jobs.enqueue(send_email, welcome("ann@example.com"))
    jobs.enqueue(send_email, welcome("gone@example.com"))
    records = receive_records(
        sqs, url, queue_arn="arn:aws:sqs:us-east-1:123456789012:jobs", wait_time_seconds=1
    )
    assert len(records) == 2
    made_at_init = clients_made["dynamodb"]
    assert worker({"Records": records}, FakeLambdaContext()) == {"batchItemFailures": []}
    assert clients_made["dynamodb"] == made_at_init, "the first batch makes no DynamoDB client"
    assert [message.recipients for message in transport.sent] == [("ann@example.com",)]
