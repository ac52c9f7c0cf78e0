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


class Sending:
    """One email's attempts under an ``on_unknown_outcome`` policy: SES on the emulator behind
    the proxy, the idempotency store in memory, the clock moved by hand."""

    def __init__(
        self,
        policy: OnUnknownOutcome | None,
        *,
        local_aws: LocalAWS,
        proxy: FaultProxy,
        clock: FakeClock,
        store: InMemoryIdempotencyStore,
        templates: Any,
        email_payload_schema: Any,
        payload: Any,
    ) -> None:
        options: dict[str, Any] = {} if policy is None else {"on_unknown_outcome": policy}
        self.send_email = define_send_email_job(
            email_payload_schema, lease_seconds=LEASE_SECONDS, **options
        )
        self.services = Container(
            define_email_module(
                transport=SESTransport(endpoint_url=proxy.endpoint_url),
                templates=templates,
                from_="App <hello@app.example>",
                idempotency_store=store,
                send_email_job=self.send_email,
            )
        )
        self.local_aws, self.clock, self.store, self.payload = local_aws, clock, store, payload

    def attempt(self, number: int) -> None:
        """Run delivery ``number`` of the job (the same job id every time)."""
        ctx = JobContext(
            services=self.services,
            logger=logging.LoggerAdapter(logging.getLogger("tests.unknown_outcome"), {}),
            job_id="job-1",
            job_name=SEND_EMAIL_JOB_NAME,
            attempt_number=number,
            enqueued_at=datetime.now(UTC),
        )
        self.send_email.handler(self.payload, ctx)

    def after_the_lease(self) -> None:
        self.clock.now += LEASE_SECONDS

    @property
    def sent_count(self) -> int:
        """Emails SES accepted, read from the emulator."""
        return len(self.local_aws.data()["ses"]["RawMessage"])


@pytest.fixture
def sending(
    local_aws: LocalAWS,
    proxy: FaultProxy,
    losing: LosingAnswers,
    clock: FakeClock,
    store: InMemoryIdempotencyStore,
    templates: Any,
    email_payload_schema: Any,
    welcome_email: Callable[..., Any],
) -> Callable[..., Sending]:
    """``sending(policy, lost=n)``: an email whose next ``n`` SES answers are lost."""

    def make(policy: OnUnknownOutcome | None, *, lost: int) -> Sending:
        losing.count = lost
        return Sending(
            policy,
            local_aws=local_aws,
            proxy=proxy,
            clock=clock,
            store=store,
            templates=templates,
            email_payload_schema=email_payload_schema,
            payload=welcome_email(),
        )

    return make


def test_by_default_a_lost_answer_is_resent_once_after_the_lease(
    sending: Callable[..., Sending],
    store: InMemoryIdempotencyStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    email = sending(None, lost=1)

    with pytest.raises(TransientJobError, match="resending once") as error:
        email.attempt(1)
    assert error.value.retry_after == LEASE_SECONDS
    assert store.claim("job-1").result == UNKNOWN_OUTCOME_RESULT
    assert email.sent_count == 1

    email.after_the_lease()
    with caplog.at_level(logging.WARNING, logger="tests.unknown_outcome"):
        email.attempt(2)
    assert "may get it twice" in caplog.text
    assert email.sent_count == 2  # the one allowed, logged duplicate

    email.attempt(3)  # a late duplicate delivery
    assert email.sent_count == 2


def test_when_every_answer_is_lost_the_email_goes_out_at_most_twice_then_dead_letters(
    sending: Callable[..., Sending],
) -> None:
    email = sending("resend", lost=1_000)

    with pytest.raises(TransientJobError):
        email.attempt(1)
    email.after_the_lease()
    with pytest.raises(PermanentJobError, match="for a person to check"):
        email.attempt(2)
    for number in range(3, 6):
        email.after_the_lease()
        email.attempt(number)
    assert email.sent_count == 2


def test_the_dead_letter_policy_never_sends_a_duplicate(sending: Callable[..., Sending]) -> None:
    email = sending("dead_letter", lost=1)

    with pytest.raises(PermanentJobError, match="new idempotency_key"):
        email.attempt(1)
    email.after_the_lease()
    email.attempt(2)  # a redelivery sends nothing
    assert email.sent_count == 1


def test_an_unknown_policy_is_refused_when_the_job_is_defined(email_payload_schema: Any) -> None:
    with pytest.raises(InvalidJobDefinitionError, match="on_unknown_outcome"):
        define_send_email_job(email_payload_schema, on_unknown_outcome="twice")  # type: ignore[arg-type]
