"""Specification of the ``send_email`` job when SES's answer is lost: the outcome is unknown.

SES runs on the emulator behind a ``FaultProxy`` that lets SES accept the message and then
drops its answer; what SES received is counted from the emulator.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import JobDefinition
from glasswork.jobs.errors import InvalidJobDefinitionError, PermanentJobError, TransientJobError
from glasswork.modules import Container
from glasswork.testing import Fault, FaultProxy, LocalAWS, ProxiedRequest
from glasswork_email.idempotency import InMemoryIdempotencyStore
from glasswork_email.job import (
    SEND_EMAIL_JOB_NAME,
    UNKNOWN_OUTCOME_RESULT,
    OnUnknownOutcome,
    define_send_email_job,
)
from glasswork_email.module import define_email_module
from glasswork_email.transports.ses import SESTransport

LEASE_SECONDS = 60.0


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


class LosingAnswers:
    """Drops the answer of the next ``count`` ``SendEmail`` requests."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._lock = threading.Lock()

    def __call__(self, request: ProxiedRequest) -> Fault:
        if request.path != "/v2/email/outbound-emails":
            return Fault.NONE
        with self._lock:
            if self.count <= 0:
                return Fault.NONE
            self.count -= 1
            return Fault.LOSE_ANSWER


@pytest.fixture
def losing() -> LosingAnswers:
    return LosingAnswers(0)


@pytest.fixture
def proxy(local_aws: LocalAWS, losing: LosingAnswers) -> Iterator[FaultProxy]:
    local_aws.client("sesv2").create_email_identity(EmailIdentity="hello@app.example")
    with FaultProxy(local_aws.endpoint_url, losing) as running:
        yield running


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(clock: FakeClock) -> InMemoryIdempotencyStore:
    return InMemoryIdempotencyStore(clock=clock)


def services_for(
    send_email: JobDefinition[Any], proxy: FaultProxy, templates: Any, store: Any
) -> Container:
    return Container(
        define_email_module(
            transport=SESTransport(endpoint_url=proxy.endpoint_url),
            templates=templates,
            from_="App <hello@app.example>",
            idempotency_store=store,
            send_email_job=send_email,
        )
    )


def attempt(send_email: JobDefinition[Any], payload: Any, services: Container, number: int) -> None:
    ctx = JobContext(
        services=services,
        logger=logging.LoggerAdapter(logging.getLogger("tests.unknown_outcome"), {}),
        job_id="job-1",
        job_name=SEND_EMAIL_JOB_NAME,
        attempt_number=number,
        enqueued_at=datetime.now(UTC),
    )
    send_email.handler(payload, ctx)


def sent_count(local_aws: LocalAWS) -> int:
    return len(local_aws.data()["ses"]["RawMessage"])


def job(policy: OnUnknownOutcome, email_payload_schema: Any) -> JobDefinition[Any]:
    return define_send_email_job(
        email_payload_schema, lease_seconds=LEASE_SECONDS, on_unknown_outcome=policy
    )


def test_by_default_a_lost_answer_is_resent_once_after_the_lease(
    local_aws: LocalAWS,
    proxy: FaultProxy,
    losing: LosingAnswers,
    clock: FakeClock,
    store: InMemoryIdempotencyStore,
    templates: Any,
    email_payload_schema: Any,
    welcome_email: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    send_email = define_send_email_job(email_payload_schema, lease_seconds=LEASE_SECONDS)
    services = services_for(send_email, proxy, templates, store)
    losing.count = 1

    with pytest.raises(TransientJobError, match="resending once") as error:
        attempt(send_email, welcome_email(), services, 1)
    assert error.value.retry_after == LEASE_SECONDS
    assert store.claim("job-1").result == UNKNOWN_OUTCOME_RESULT
    assert sent_count(local_aws) == 1

    clock.now += LEASE_SECONDS
    with caplog.at_level(logging.WARNING, logger="tests.unknown_outcome"):
        attempt(send_email, welcome_email(), services, 2)
    assert "may get it twice" in caplog.text
    assert sent_count(local_aws) == 2  # the one allowed, logged duplicate

    attempt(send_email, welcome_email(), services, 3)  # a late duplicate delivery
    assert sent_count(local_aws) == 2


def test_when_every_answer_is_lost_the_email_goes_out_at_most_twice_then_dead_letters(
    local_aws: LocalAWS,
    proxy: FaultProxy,
    losing: LosingAnswers,
    clock: FakeClock,
    store: InMemoryIdempotencyStore,
    templates: Any,
    email_payload_schema: Any,
    welcome_email: Callable[..., Any],
) -> None:
    send_email = job("resend", email_payload_schema)
    services = services_for(send_email, proxy, templates, store)
    losing.count = 1_000

    with pytest.raises(TransientJobError):
        attempt(send_email, welcome_email(), services, 1)
    clock.now += LEASE_SECONDS
    with pytest.raises(PermanentJobError, match="for a person to check"):
        attempt(send_email, welcome_email(), services, 2)
    for number in range(3, 6):
        clock.now += LEASE_SECONDS
        attempt(send_email, welcome_email(), services, number)
    assert sent_count(local_aws) == 2


def test_the_dead_letter_policy_never_sends_a_duplicate(
    local_aws: LocalAWS,
    proxy: FaultProxy,
    losing: LosingAnswers,
    clock: FakeClock,
    store: InMemoryIdempotencyStore,
    templates: Any,
    email_payload_schema: Any,
    welcome_email: Callable[..., Any],
) -> None:
    send_email = job("dead_letter", email_payload_schema)
    services = services_for(send_email, proxy, templates, store)
    losing.count = 1

    with pytest.raises(PermanentJobError, match="new idempotency_key"):
        attempt(send_email, welcome_email(), services, 1)
    clock.now += LEASE_SECONDS
    attempt(send_email, welcome_email(), services, 2)  # a redelivery sends nothing
    assert sent_count(local_aws) == 1


def test_an_unknown_policy_is_refused_when_the_job_is_defined(email_payload_schema: Any) -> None:
    with pytest.raises(InvalidJobDefinitionError, match="on_unknown_outcome"):
        define_send_email_job(email_payload_schema, on_unknown_outcome="twice")  # type: ignore[arg-type]
