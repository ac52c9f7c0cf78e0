"""Fault-injection soak: thousands of emails through SQS, the worker and SES, with faults.

Everything runs on the emulator, in its own process: ``JobService.enqueue_batch`` → SQS →
a stand-in for Lambda's event source mapping (several concurrent pollers) → the worker's
handler → ``send_email`` (DynamoDB idempotency store) → a ``FaultProxy`` → SES. Injected:

- on ``SendEmail``: throttling (HTTP 429), server errors (HTTP 500) and lost answers (SES
  accepts the message, the connection closes before its answer);
- crashed invocations: a received batch is never handled (the Lambda died first), or it is
  handled and then nothing is deleted (the Lambda died before reporting);
- duplicate deliveries: some messages are sent to the queue twice.

The assertions read what the emulator holds: every job's email reached SES (nothing lost), a
job SES answered for each time was sent exactly once, a job whose answer was lost at most twice
(the default ``on_unknown_outcome="resend"``), and the queue is empty. ``GLASSWORK_SOAK_JOBS``
sets the size (default 300, what fits CI's two minutes on a shared two-core machine; the
issue's figures were taken with more); the figures are logged at the end.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from examples.app.emails import (
    PasswordResetContext,
    PasswordResetEmail,
    PasswordResetUser,
    email_payload,
    templates,
)
from glasswork import JobService, SQSQueueDriver, bootstrap_worker, define_module
from glasswork.jobs.message import JobMessage
from glasswork.jobs.retry_policy import RetryPolicy
from glasswork.testing import (
    FakeLambdaContext,
    Fault,
    FaultProxy,
    LocalAWS,
    ProxiedRequest,
    create_queue_with_dlq,
)
from glasswork.worker.bootstrap import Worker
from glasswork.worker.poller import delete_records, receive_records
from glasswork_email import DynamoDBIdempotencyStore, SESTransport, define_email_module
from glasswork_email.job import define_send_email_job

logger = logging.getLogger(__name__)

JOBS = int(os.environ.get("GLASSWORK_SOAK_JOBS", "300"))
POLLERS = 4
LEASE_SECONDS = 3.0
VISIBILITY_TIMEOUT_SECONDS = 6
DEADLINE_SECONDS = max(170.0, JOBS * 0.25)
FAULT_RATES = {Fault.THROTTLE: 0.04, Fault.SERVER_ERROR: 0.04, Fault.LOSE_ANSWER: 0.03}
CRASH_EVERY = 15
"""Every 15th invocation dies before handling its batch, and the one 7 after it dies after
handling (before the event source mapping deletes anything)."""
DUPLICATE_RATE = 0.05
_RECIPIENT = re.compile(rb"^To: (user\d+@example\.com)\r$", re.M)


class Faults:
    """Chooses the fault of each ``SendEmail`` (seeded) and remembers which job it hit."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.by_recipient: dict[str, Counter[Fault]] = {}

    def __call__(self, request: ProxiedRequest) -> Fault:
        if request.path != "/v2/email/outbound-emails":
            return Fault.NONE
        raw = base64.b64decode(json.loads(request.body)["Content"]["Raw"]["Data"])
        match = _RECIPIENT.search(raw)
        recipient = match.group(1).decode() if match else "?"
        with self.lock:
            draw = self.random.random()
            fault = Fault.NONE
            for candidate, rate in FAULT_RATES.items():
                if draw < rate:
                    fault = candidate
                    break
                draw -= rate
            self.by_recipient.setdefault(recipient, Counter())[fault] += 1
            return fault


@pytest.fixture(scope="module")
def emulator() -> Iterator[LocalAWS]:
    with LocalAWS(in_process=False) as server:
        yield server


def make_queue(sqs: Any) -> tuple[str, str, str]:
    queue = create_queue_with_dlq(
        sqs,
        "soak",
        max_receive_count=1000,
        attributes={"VisibilityTimeout": str(VISIBILITY_TIMEOUT_SECONDS)},
    )
    return queue.url, queue.arn, queue.dead_letter_url


def payload(number: int) -> PasswordResetEmail:
    return PasswordResetEmail(
        to=f"user{number}@example.com",
        context=PasswordResetContext(
            reset_url=f"https://shop.example/reset?t={number}",
            expires_in_minutes=30,
            user=PasswordResetUser(email=f"user{number}@example.com", first_name=f"User {number}"),
        ),
    )


class EventSourceMapping:
    """Polls the queue like Lambda does, invokes the worker, deletes what succeeded, and
    crashes some invocations on purpose."""

    def __init__(self, worker: Worker, sqs: Any, url: str, arn: str) -> None:
        self.worker, self.sqs, self.url, self.arn = worker, sqs, url, arn
        self.lock = threading.Lock()
        self.crashes: Counter[str] = Counter()
        self.invocations = 0
        self.stop = threading.Event()

    def poll(self) -> None:
        while not self.stop.is_set():
            records = receive_records(self.sqs, self.url, queue_arn=self.arn, wait_time_seconds=1)
            if not records:
                continue
            with self.lock:
                self.invocations += 1
                turn = self.invocations % CRASH_EVERY
            if turn == 1:
                with self.lock:
                    self.crashes["before_handling"] += 1
                continue  # the records come back when their visibility timeout ends
            response = self.worker.handle_sqs_event(
                {"Records": records}, FakeLambdaContext(timeout_seconds=60)
            )
            if turn == 8:
                with self.lock:
                    self.crashes["after_handling"] += 1
                continue  # handled, never deleted: every record is delivered again
            failed = {item["itemIdentifier"] for item in response["batchItemFailures"]}
            delete_records(self.sqs, self.url, [r for r in records if r["messageId"] not in failed])


def queue_is_empty(sqs: Any, url: str) -> bool:
    attributes = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=[
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
        ],
    )["Attributes"]
    return all(value == "0" for value in attributes.values())


def dead_letters(sqs: Any, url: str) -> list[dict[str, Any]]:
    letters: list[dict[str, Any]] = []
    while batch := sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"], VisibilityTimeout=60
    ).get("Messages", []):
        letters.extend(batch)
    return letters


def test_soak_nothing_lost_and_no_email_sent_more_often_than_the_policy_allows(
    emulator: LocalAWS,
) -> None:
    started = time.monotonic()
    sqs = emulator.client("sqs")
    url, arn, dead_url = make_queue(sqs)
    emulator.client("sesv2").create_email_identity(EmailIdentity="shop.example")
    store = DynamoDBIdempotencyStore("soak-idempotency", client=emulator.client("dynamodb"))
    store.create_table()
    faults = Faults(seed=11)
    with FaultProxy(emulator.endpoint_url, faults) as proxy:
        send_email = define_send_email_job(
            email_payload,
            lease_seconds=LEASE_SECONDS,
            retry=RetryPolicy(min_backoff_seconds=1, max_backoff_seconds=4),
        )
        email_module = define_email_module(
            transport=SESTransport(endpoint_url=proxy.endpoint_url, region="us-east-1"),
            templates=templates,
            from_="Shop <hello@shop.example>",
            idempotency_store=store,
            send_email_job=send_email,
        )
        worker = bootstrap_worker(define_module("soak", imports=[email_module]), sqs_client=sqs)
        jobs = JobService(SQSQueueDriver({"default": url}, client=sqs))

        duplicates_sent = 0
        chooser = random.Random(5)
        for start in range(0, JOBS, 10):
            numbers = range(start, min(start + 10, JOBS))
            results = jobs.enqueue_batch((send_email, payload(number)) for number in numbers)
            assert all(result.ok for result in results)
            for number, result in zip(numbers, results, strict=True):
                if chooser.random() < DUPLICATE_RATE:  # SQS delivers this job twice
                    duplicate = JobMessage(
                        job_name=send_email.name,
                        payload=send_email.dump_payload(payload(number)),
                        job_id=result.job_id,
                        enqueued_at=datetime.now(UTC),
                    )
                    sqs.send_message(QueueUrl=url, MessageBody=duplicate.to_json())
                    duplicates_sent += 1

        mapping = EventSourceMapping(worker, sqs, url, arn)
        pollers = [threading.Thread(target=mapping.poll) for _ in range(POLLERS)]
        for poller in pollers:
            poller.start()
        try:
            empty_checks = 0
            while empty_checks < 3:
                assert time.monotonic() - started < DEADLINE_SECONDS, "soak did not settle"
                time.sleep(1.0)
                empty_checks = empty_checks + 1 if queue_is_empty(sqs, url) else 0
        finally:
            mapping.stop.set()
            for poller in pollers:
                poller.join()

    sent = Counter(
        destination
        for message in emulator.data()["ses"]["RawMessage"]
        for destination in set(message["destinations"])
    )
    letters = dead_letters(sqs, dead_url)
    injected = Counter[Fault]()
    for counts in faults.by_recipient.values():
        injected.update(counts)
    lost = [n for n in range(JOBS) if sent[f"user{n}@example.com"] == 0]
    twice = [recipient for recipient, count in sent.items() if count == 2]
    too_often = [recipient for recipient, count in sent.items() if count > 2]
    unexplained = [
        recipient for recipient in twice if faults.by_recipient[recipient][Fault.LOSE_ANSWER] == 0
    ]
    figures = {
        "jobs": JOBS,
        "duplicate_deliveries": duplicates_sent,
        "throttled": injected[Fault.THROTTLE],
        "server_errors": injected[Fault.SERVER_ERROR],
        "lost_answers": injected[Fault.LOSE_ANSWER],
        "crashed_before_handling": mapping.crashes["before_handling"],
        "crashed_after_handling": mapping.crashes["after_handling"],
        "invocations": mapping.invocations,
        "lost": len(lost),
        "sent_twice": len(twice),
        "dead_lettered": len(letters),
        "seconds": round(time.monotonic() - started, 1),
    }
    logger.warning("soak figures: %s", json.dumps(figures))
    print(f"\nsoak figures: {json.dumps(figures)}")

    assert lost == []
    assert too_often == []
    assert unexplained == [], "only a lost answer may lead to a second send"
    assert len(twice) <= injected[Fault.LOSE_ANSWER]
    assert injected[Fault.THROTTLE] and injected[Fault.SERVER_ERROR] and injected[Fault.LOSE_ANSWER]
    assert mapping.crashes["before_handling"] and mapping.crashes["after_handling"]
    for letter in letters:
        attributes = letter["MessageAttributes"]
        assert attributes["DeadLetterReason"]["StringValue"] == "permanent_error"
        assert "may or may not have been sent" in attributes["ErrorMessage"]["StringValue"]
    assert queue_is_empty(sqs, url)
