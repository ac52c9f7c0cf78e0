"""``bootstrap_worker``: registry and container built once per cold start."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import define_job
from glasswork.jobs.errors import DuplicateJobError
from glasswork.modules import Provider, define_module
from glasswork.testing.events import FakeLambdaContext, job_message, make_sqs_event
from glasswork.worker import UnsupportedEventError, bootstrap_worker


def _noop(payload: dict[str, Any], ctx: JobContext) -> None:
    pass


def test_duplicate_job_names_across_modules_fail_at_bootstrap_naming_both_modules() -> None:
    billing = define_module("billing", jobs=[define_job("sync-account", _noop)])
    crm = define_module("crm", jobs=[define_job("sync-account", _noop)])
    app = define_module("app", imports=[billing, crm])

    with pytest.raises(DuplicateJobError) as raised:
        bootstrap_worker(app)

    assert "'sync-account'" in str(raised.value)
    assert "'billing'" in str(raised.value) and "'crm'" in str(raised.value)


def test_services_are_built_once_per_cold_start_and_shared_by_invocations() -> None:
    built: list[object] = []
    seen: list[object] = []

    def make_client() -> object:
        client = object()
        built.append(client)
        return client

    def handler(payload: dict[str, Any], ctx: JobContext) -> None:
        seen.append(ctx.services.get("client"))

    job = define_job("use-client", handler)
    app = define_module("app", providers=[Provider("client", use_factory=make_client)], jobs=[job])
    worker = bootstrap_worker(app)

    worker(make_sqs_event(job_message(job, {})), FakeLambdaContext())
    worker(make_sqs_event(job_message(job, {}), job_message(job, {})), FakeLambdaContext())

    assert len(built) == 1
    assert seen == [built[0]] * 3


def test_services_are_built_at_bootstrap_and_a_failing_provider_is_tried_again_per_invocation(
    caplog: pytest.LogCaptureFixture,
) -> None:
    attempts: list[int] = []

    def make_database() -> str:
        attempts.append(1)
        if len(attempts) <= 2:
            raise ConnectionError("database not reachable yet")
        return "database"

    ran: list[str] = []
    job = define_job("query", lambda payload, ctx: ran.append(ctx.services.get("database")))
    app = define_module(
        "app", providers=[Provider("database", use_factory=make_database)], jobs=[job]
    )
    worker = bootstrap_worker(app)  # Lambda's init phase: the first attempt, logged
    assert len(attempts) == 1
    assert "building the services failed (ConnectionError" in caplog.text
    event = make_sqs_event(job_message(job, {}))

    with pytest.raises(ConnectionError, match="database not reachable yet"):
        worker(event, FakeLambdaContext())
    assert ran == []

    assert worker(event, FakeLambdaContext()) == {"batchItemFailures": []}
    assert ran == ["database"]
    assert len(attempts) == 3


class _Client:
    """A service whose client is made on demand; the worker warms it up at bootstrap."""

    def __init__(self) -> None:
        self.warmed = 0

    def warm_up(self) -> None:
        self.warmed += 1


def test_services_with_warm_up_make_their_clients_at_bootstrap_once() -> None:
    client = _Client()
    job = define_job("a", _noop)
    app = define_module("app", providers=[Provider("client", use_value=client)], jobs=[job])

    worker = bootstrap_worker(app)
    assert client.warmed == 1
    worker(make_sqs_event(job_message(job, {})), FakeLambdaContext())

    assert client.warmed == 1


def test_an_event_that_is_neither_sqs_nor_a_job_invocation_is_a_clear_error() -> None:
    worker = bootstrap_worker(define_module("app", jobs=[define_job("a", _noop)]))

    with pytest.raises(UnsupportedEventError, match="jobName"):
        worker({"httpMethod": "GET", "path": "/"}, FakeLambdaContext())


def test_an_empty_sqs_batch_retries_nothing() -> None:
    worker = bootstrap_worker(define_module("app", jobs=[define_job("a", _noop)]))

    assert worker({"Records": []}, FakeLambdaContext()) == {"batchItemFailures": []}


def test_concurrency_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="concurrency"):
        bootstrap_worker(define_module("app"), concurrency=0)


@pytest.fixture
def unfrozen_afterwards() -> Iterator[None]:
    """Hands back to the collector whatever a test froze (``gc.freeze`` is process-wide)."""
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.mark.usefixtures("unfrozen_afterwards")
def test_in_lambda_what_init_built_is_frozen_out_of_the_collectors_scans(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "jobs-worker")
    ran: list[str] = []
    job = define_job("after-freeze", lambda payload, ctx: ran.append(ctx.job_id))
    app = define_module("app", providers=[Provider("client", use_factory=list)], jobs=[job])

    worker = bootstrap_worker(app)
    client = worker.container.get("client")

    assert gc.get_freeze_count() > 1000
    # A frozen object is in none of the generations a collection scans.
    assert gc.is_tracked(client) and not any(seen is client for seen in gc.get_objects())
    assert gc.isenabled()
    response = worker(make_sqs_event(job_message(job, {}, job_id="j-1")), FakeLambdaContext())
    assert response == {"batchItemFailures": []} and ran == ["j-1"]


@pytest.mark.usefixtures("unfrozen_afterwards")
def test_outside_lambda_or_when_turned_off_nothing_is_frozen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = define_module("app", jobs=[define_job("plain", _noop)])

    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    bootstrap_worker(app)
    assert gc.get_freeze_count() == 0

    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "jobs-worker")
    bootstrap_worker(app, freeze_after_init=False)
    assert gc.get_freeze_count() == 0

    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME")
    bootstrap_worker(app, freeze_after_init=True)
    assert gc.get_freeze_count() > 1000
