"""Retries: the message stays invisible for its backoff, then comes back as the next attempt."""

from __future__ import annotations

import random
import time
from typing import Any

from worker_support import Queues, deliver

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import define_job
from glasswork.jobs.errors import TransientJobError
from glasswork.jobs.retry_policy import RetryPolicy
from glasswork.modules import define_module
from glasswork.testing.events import FakeLambdaContext, job_message, make_sqs_record
from glasswork.worker import JobEvent, Outcome, WorkerHooks, bootstrap_worker
from glasswork.worker.retry import retry_delay_seconds


def _wait_for_message(queues: Queues, *, seconds: float) -> tuple[float, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        records = queues.receive(wait_seconds=0)
        if records:
            return time.monotonic(), records
        time.sleep(0.2)
    return time.monotonic(), []


def test_a_failed_job_stays_invisible_for_its_backoff_and_returns_as_the_next_attempt(
    queues: Queues,
) -> None:
    attempts: list[int] = []
    failures: list[JobEvent] = []

    def fails_once(payload: dict[str, Any], ctx: JobContext) -> None:
        attempts.append(ctx.attempt_number)
        if ctx.attempt_number == 1:
            raise ConnectionError("upstream down")

    policy = RetryPolicy(max_attempts=5, min_backoff_seconds=4, max_backoff_seconds=4)
    job = define_job("fails-once", fails_once, retry=policy)
    worker = bootstrap_worker(
        define_module("app", jobs=[job]),
        sqs_client=queues.sqs,
        hooks=WorkerHooks(on_job_failed=failures.append),
    )
    queues.send(job_message(job, {}).to_json())

    response, records = deliver(worker, queues)
    failed_at = time.monotonic()

    assert response["batchItemFailures"] == [{"itemIdentifier": records[0]["messageId"]}]
    (failure,) = failures
    assert failure.outcome == "retry_scheduled"
    backoff = failure.retry_in_seconds
    assert backoff is not None and 2 <= backoff <= 4  # equal jitter: half to all of 4 s
    assert queues.receive(wait_seconds=0) == []
    time.sleep(max(0.0, failed_at + backoff - 1.0 - time.monotonic()))
    assert queues.receive(wait_seconds=0) == [], "visible before its backoff ended"

    seen_at, again = _wait_for_message(queues, seconds=4)
    assert again, "the message did not come back after its backoff"
    assert seen_at - failed_at >= backoff - 0.5
    assert again[0]["attributes"]["ApproximateReceiveCount"] == "2"

    worker({"Records": again}, FakeLambdaContext())
    assert attempts == [1, 2]


def test_transient_error_retry_after_sets_the_delay_itself(queues: Queues) -> None:
    def busy(payload: dict[str, Any], ctx: JobContext) -> None:
        raise TransientJobError("rate limited", retry_after=2)

    job = define_job("busy", busy, retry=RetryPolicy(min_backoff_seconds=600))
    worker = bootstrap_worker(define_module("app", jobs=[job]), sqs_client=queues.sqs)
    queues.send(job_message(job, {}).to_json())

    deliver(worker, queues)
    failed_at = time.monotonic()

    time.sleep(1.0)
    assert queues.receive(wait_seconds=0) == []
    seen_at, again = _wait_for_message(queues, seconds=3)
    assert again and seen_at - failed_at >= 1.5


def test_the_attempt_number_is_the_approximate_receive_count() -> None:
    seen: list[int] = []
    job = define_job("count", lambda payload, ctx: seen.append(ctx.attempt_number))
    worker = bootstrap_worker(define_module("app", jobs=[job]))

    record = make_sqs_record(job_message(job, {}), receive_count=7)
    worker({"Records": [record]}, FakeLambdaContext())

    assert seen == [7]


def test_retry_delay_follows_the_policy_with_jitter_and_stays_within_sqs_limits() -> None:
    policy = RetryPolicy(min_backoff_seconds=10, max_backoff_seconds=3600)
    rng = random.Random(7)

    delays = [
        retry_delay_seconds(policy, attempt, ValueError(), rng=rng) for attempt in range(1, 12)
    ]

    for attempt, delay in enumerate(delays, start=1):
        ceiling = min(3600, 10 * 2 ** (attempt - 1))
        assert ceiling / 2 - 1 <= delay <= ceiling
    assert retry_delay_seconds(policy, 1, TransientJobError(retry_after=2.2)) == 3
    assert retry_delay_seconds(policy, 1, TransientJobError(retry_after=10**6)) == 43_200


def test_a_retry_whose_visibility_change_fails_is_still_reported_failed() -> None:
    def fails(payload: dict[str, Any], ctx: JobContext) -> None:
        raise ConnectionError("down")

    job = define_job("fails", fails)
    # An unreachable SQS endpoint: ChangeMessageVisibility cannot succeed.
    import boto3
    from botocore.config import Config

    unreachable = boto3.client(
        "sqs",
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:9",
        config=Config(retries={"max_attempts": 1}, connect_timeout=0.5),
    )
    worker = bootstrap_worker(define_module("app", jobs=[job]), sqs_client=unreachable)
    record = make_sqs_record(job_message(job, {}))

    (result,) = worker.process_records([record], FakeLambdaContext())

    assert result.outcome is Outcome.RETRY_SCHEDULED
    assert result.retry_in_seconds is None
    assert not result.outcome.acknowledges
