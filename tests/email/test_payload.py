"""Specification of ``TemplatedEmail``: every rule ``EmailMessage`` enforces holds at enqueue.

A bad payload is refused by ``JobService.enqueue`` with an error naming the field, and nothing
reaches the queue, instead of being dead-lettered by the worker later.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from examples.app.emails import send_email, templates
from glasswork import JobService
from glasswork.jobs.drivers.mock import MockQueueDriver
from glasswork.jobs.errors import InvalidJobPayloadError
from glasswork.modules import define_module
from glasswork.testing import FakeLambdaContext, LocalAWS, create_queue_with_dlq
from glasswork.worker.bootstrap import bootstrap_worker
from glasswork.worker.poller import receive_records
from glasswork_email import MockTransport, define_email_module

GOOD: dict[str, Any] = {
    "template": "password_reset",
    "to": "ann@example.com",
    "context": {
        "reset_url": "https://shop.example/reset?t=1",
        "expires_in_minutes": 30,
        "user": {"email": "ann@example.com", "first_name": "Ann"},
    },
}


def payload(**overrides: Any) -> dict[str, Any]:
    return {**GOOD, **overrides}


@pytest.fixture
def driver() -> MockQueueDriver:
    return MockQueueDriver()


@pytest.fixture
def jobs(driver: MockQueueDriver) -> JobService:
    return JobService(driver)


def refused(jobs: JobService, value: dict[str, Any]) -> str:
    with pytest.raises(InvalidJobPayloadError) as error:
        jobs.enqueue(send_email, value)
    return str(error.value)


def test_a_valid_payload_is_enqueued(jobs: JobService, driver: MockQueueDriver) -> None:
    jobs.enqueue(send_email, payload())
    assert len(driver.enqueued) == 1


@pytest.mark.parametrize(
    ("overrides", "named", "problem"),
    [
        ({"to": []}, "to", "at least one recipient"),
        ({"cc": [f"c{n}@example.com" for n in range(50)]}, "to", "51 recipients"),
        ({"bcc": ["ok@example.com", "not-an-address"]}, "bcc[1]", "name@domain"),
        ({"cc": ["x@example.com"] * 3 + ["Eve\r\nBcc: all@example.com"]}, "cc[3]", "line break"),
        ({"subject": "Hi\r\nBcc: all@example.com"}, "subject", "CR, LF"),
        ({"subject": "  "}, "subject", "non-empty"),
        ({"subject": "Invoice \u202egnp.exe"}, "subject", "bidirectional override"),
        ({"tags": {"campaign": "spring sale"}}, "tags['campaign']", "ASCII letters"),
        ({"tags": {"campaign": "x\r\ny"}}, "tags['campaign']", "ASCII letters"),
        ({"unsubscribe_url": "http://shop.example/u"}, "unsubscribe_url", "https://"),
        ({"unsubscribe_url": "https://shop.example/u\r\nX: y"}, "unsubscribe_url", "line break"),
        ({"sender": "\u202eCEO <ceo@example.com>"}, "sender", "bidirectional override"),
        ({"to": "Ann \udcff <ann@example.com>"}, "to", "lone surrogate"),
        (
            {"context": {**GOOD["context"], "reset_url": "https://x/\udcff"}},
            "context.reset_url",
            "lone surrogate",
        ),
    ],
)
def test_what_email_message_would_refuse_is_refused_at_enqueue_naming_the_field(
    jobs: JobService, driver: MockQueueDriver, overrides: dict[str, Any], named: str, problem: str
) -> None:
    message = refused(jobs, payload(**overrides))
    assert named in message
    assert problem in message
    assert driver.enqueued == []


def test_fifty_recipients_across_to_cc_and_bcc_are_accepted(jobs: JobService) -> None:
    to = [f"t{n}@example.com" for n in range(20)]
    jobs.enqueue(
        send_email,
        payload(
            to=to,
            cc=[f"c{n}@example.com" for n in range(20)],
            bcc=[f"b{n}@example.com" for n in range(10)],
        ),
    )


def test_a_lone_surrogate_from_another_producer_is_dead_lettered_at_once_not_retried(
    local_aws: LocalAWS, sqs: Any
) -> None:
    queue = create_queue_with_dlq(sqs, "emails")
    url, arn, dead = queue.url, queue.arn, queue.dead_letter_url
    transport = MockTransport()
    worker = bootstrap_worker(
        define_module(
            "app",
            imports=[
                define_email_module(
                    transport=transport,
                    templates=templates,
                    from_="hello@shop.example",
                    send_email_job=send_email,
                )
            ],
        ),
        sqs_client=sqs,
    )
    # A JavaScript producer's JSON.stringify writes an unpaired surrogate as "\udcff".
    body = json.dumps(
        {
            "jobName": "send-email",
            "jobId": "js-1",
            "payload": payload(context={**GOOD["context"], "reset_url": "https://x/\udcff"}),
        }
    )
    sqs.send_message(QueueUrl=url, MessageBody=body)
    records = receive_records(sqs, url, queue_arn=arn, wait_time_seconds=1)

    response = worker.handle_sqs_event({"Records": records}, FakeLambdaContext())

    assert response == {"batchItemFailures": []}  # settled on the first delivery
    [letter] = sqs.receive_message(QueueUrl=dead, MessageAttributeNames=["All"])["Messages"]
    reason = letter["MessageAttributes"]["DeadLetterReason"]["StringValue"]
    assert reason == "invalid_payload"
    assert "lone surrogate" in letter["MessageAttributes"]["ErrorMessage"]["StringValue"]
    assert transport.sent == []
