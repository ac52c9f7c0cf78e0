"""Specification of the ``send_email`` job handler: sent exactly once across redeliveries.

The handler is called directly with a ``JobContext`` whose ``services`` is a container built
from the email module, as the worker calls it.
"""

from __future__ import annotations

import email
import email.policy
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage as MIMEMessage
from typing import Any

import pytest

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import JobDefinition
from glasswork.jobs.errors import PermanentJobError, TransientJobError
from glasswork.jobs.ignored import Ignored
from glasswork.modules import Container, Module
from glasswork.testing import LocalAWS
from glasswork_email.errors import TransientEmailSendError
from glasswork_email.idempotency import (
    DynamoDBIdempotencyStore,
    IdempotencyState,
    IdempotencyStore,
    InMemoryIdempotencyStore,
)
from glasswork_email.job import SEND_EMAIL_JOB_NAME, define_send_email_job
from glasswork_email.module import define_email_module
from glasswork_email.transports.base import Transport
from glasswork_email.transports.mock import MockTransport
from glasswork_email.transports.ses import SESTransport

SENDER = "App <hello@app.example>"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def send_email(email_payload_schema: Any) -> JobDefinition[Any]:
    return define_send_email_job(email_payload_schema, lease_seconds=60)


@pytest.fixture
def transport() -> MockTransport:
    return MockTransport()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(clock: FakeClock) -> InMemoryIdempotencyStore:
    return InMemoryIdempotencyStore(clock=clock)


def email_module(
    transport: Transport,
    templates: Any,
    send_email: JobDefinition[Any],
    store: IdempotencyStore | None,
) -> Module:
    return define_email_module(
        transport=transport,
        templates=templates,
        from_=SENDER,
        idempotency_store=store,
        send_email_job=send_email,
    )


def context(services: Container, job_id: str = "job-1", attempt: int = 1) -> JobContext:
    return JobContext(
        services=services,
        logger=logging.LoggerAdapter(logging.getLogger("tests.send_email"), {"job_id": job_id}),
        job_id=job_id,
        job_name=SEND_EMAIL_JOB_NAME,
        attempt_number=attempt,
        enqueued_at=datetime.now(UTC),
        message_id=f"sqs-{job_id}",
    )


@pytest.fixture
def services(
    transport: MockTransport,
    templates: Any,
    send_email: JobDefinition[Any],
    store: InMemoryIdempotencyStore,
) -> Container:
    return Container(email_module(transport, templates, send_email, store))


def run(
    send_email: JobDefinition[Any], payload: Any, ctx: JobContext, returns: object = None
) -> None:
    assert send_email.handler(payload, ctx) == returns


def test_the_job_renders_and_sends_the_typed_payload(
    send_email: JobDefinition[Any],
    services: Container,
    transport: MockTransport,
    welcome_email: Callable[..., Any],
) -> None:
    # As the worker does: the payload arrives as JSON and is validated by the job's schema.
    payload = send_email.validate_payload(
        send_email.dump_payload(welcome_email(to="ann@example.com", name="Ann"))
    )
    run(send_email, payload, context(services))
    assert transport.last is not None
    assert transport.last.subject == "Welcome, Ann!"
    assert transport.last.to == ("ann@example.com",)


def test_a_redelivered_job_sends_nothing_more(
    send_email: JobDefinition[Any],
    services: Container,
    transport: MockTransport,
    welcome_email: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    payload = welcome_email()
    run(send_email, payload, context(services, "job-1", attempt=1))
    with caplog.at_level(logging.INFO, logger="tests.send_email"):
        run(send_email, payload, context(services, "job-1", attempt=2), Ignored("duplicate"))
    assert len(transport.sent) == 1
    assert "already sent (message mock-1)" in caplog.text


def test_two_jobs_with_the_same_payload_send_twice(
    send_email: JobDefinition[Any],
    services: Container,
    transport: MockTransport,
    welcome_email: Callable[..., Any],
) -> None:
    run(send_email, welcome_email(), context(services, "job-1"))
    run(send_email, welcome_email(), context(services, "job-2"))
    assert len(transport.sent) == 2


def test_an_explicit_idempotency_key_deduplicates_across_jobs(
    send_email: JobDefinition[Any],
    services: Container,
    transport: MockTransport,
    welcome_email: Callable[..., Any],
) -> None:
    run(send_email, welcome_email(idempotency_key="welcome:user-42"), context(services, "job-1"))
    second = welcome_email(idempotency_key="welcome:user-42")
    run(send_email, second, context(services, "job-2"), Ignored("duplicate"))
    assert len(transport.sent) == 1


def test_a_send_held_by_another_live_attempt_is_retried_after_its_lease(
    send_email: JobDefinition[Any],
    services: Container,
    transport: MockTransport,
    store: InMemoryIdempotencyStore,
    clock: FakeClock,
    welcome_email: Callable[..., Any],
) -> None:
    store.claim("job-1", lease_seconds=60)  # another worker is sending right now
    clock.now += 15
    with pytest.raises(TransientJobError) as error:
        run(send_email, welcome_email(), context(services, "job-1"))
    assert error.value.retry_after == pytest.approx(45)
    assert transport.sent == []


def test_an_attempt_that_died_mid_send_is_taken_over_after_its_lease(
    send_email: JobDefinition[Any],
    services: Container,
    transport: MockTransport,
    store: InMemoryIdempotencyStore,
    clock: FakeClock,
    welcome_email: Callable[..., Any],
) -> None:
    store.claim("job-1", lease_seconds=60)  # a worker claimed, then its Lambda timed out
    clock.now += 61
    run(send_email, welcome_email(), context(services, "job-1", attempt=2))
    assert len(transport.sent) == 1


def test_a_failed_send_releases_the_key_so_the_retry_sends(
    send_email: JobDefinition[Any],
    services: Container,
    transport: MockTransport,
    welcome_email: Callable[..., Any],
) -> None:
    transport.simulate_failure(TransientEmailSendError("throttled", transport="mock"))
    with pytest.raises(TransientJobError):
        run(send_email, welcome_email(), context(services, "job-1", attempt=1))
    run(send_email, welcome_email(), context(services, "job-1", attempt=2))
    assert len(transport.sent) == 1


def test_an_invalid_rendered_message_fails_permanently_and_sends_nothing(
    send_email: JobDefinition[Any],
    services: Container,
    transport: MockTransport,
    store: InMemoryIdempotencyStore,
    welcome_email: Callable[..., Any],
) -> None:
    with pytest.raises(PermanentJobError):
        run(send_email, welcome_email(name="Ann\nBcc: x@example.com"), context(services))
    assert transport.sent == []
    assert store.claim("job-1").state is IdempotencyState.ACQUIRED  # released


class UnrecordableStore(InMemoryIdempotencyStore):
    """A store whose writes after the send fail, like DynamoDB during an outage."""

    def complete(self, key: str, owner: str, *, result: str | None = None) -> None:
        raise RuntimeError("DynamoDB unavailable")


def test_a_sent_email_that_cannot_be_recorded_is_logged_not_raised(
    send_email: JobDefinition[Any],
    transport: MockTransport,
    templates: Any,
    welcome_email: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    services = Container(email_module(transport, templates, send_email, UnrecordableStore()))
    with caplog.at_level(logging.ERROR, logger="tests.send_email"):
        run(send_email, welcome_email(), context(services))
    assert len(transport.sent) == 1
    assert "was sent (message mock-1) but could not be recorded" in caplog.text


def test_without_an_idempotency_store_every_delivery_sends(
    send_email: JobDefinition[Any],
    transport: MockTransport,
    templates: Any,
    welcome_email: Callable[..., Any],
) -> None:
    services = Container(email_module(transport, templates, send_email, None))
    run(send_email, welcome_email(), context(services, "job-1"))
    run(send_email, welcome_email(), context(services, "job-1"))
    assert len(transport.sent) == 2


def test_through_ses_and_dynamodb_a_duplicate_delivery_sends_one_email(
    local_aws: LocalAWS,
    send_email: JobDefinition[Any],
    templates: Any,
    welcome_email: Callable[..., Any],
) -> None:
    local_aws.client("sesv2").create_email_identity(EmailIdentity="hello@app.example")
    store = DynamoDBIdempotencyStore(
        "email-idempotency", region="us-east-1", endpoint_url=local_aws.endpoint_url
    )
    store.create_table()
    transport = SESTransport(region="us-east-1", endpoint_url=local_aws.endpoint_url)
    services = Container(email_module(transport, templates, send_email, store))
    payload = send_email.validate_payload(
        {
            "template": "welcome",
            "to": "Ann <ann@example.com>",
            "context": {"name": "Zoë", "verification_link": "https://app.example/v?t=1"},
        }
    )

    run(send_email, payload, context(services, "job-1", attempt=1))
    redelivery = context(services, "job-1", attempt=1)
    run(send_email, payload, redelivery, Ignored("duplicate"))

    sent = local_aws.data()["ses"]["RawMessage"]
    assert len(sent) == 1
    parsed = email.message_from_bytes(sent[0]["raw_data"].encode(), policy=email.policy.default)
    assert isinstance(parsed, MIMEMessage)
    assert parsed["To"] == "Ann <ann@example.com>"
    assert parsed["Subject"] == "Welcome, Zoë!"
    text = parsed.get_body(preferencelist=("plain",))
    assert isinstance(text, MIMEMessage) and "Hello Zoë" in text.get_content()
    claim = store.claim("job-1")
    assert claim.state is IdempotencyState.COMPLETED
    assert claim.result == sent[0]["id"]
