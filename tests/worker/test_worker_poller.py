"""The long-running poller: same processing as Lambda, deletes successes, stops cleanly."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from sample_app import AppModule, work
from worker_support import Queues

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import define_job
from glasswork.jobs.errors import TransientJobError
from glasswork.modules import define_module
from glasswork.testing.events import job_message
from glasswork.worker import Outcome, bootstrap_worker
from glasswork.worker.poller import SQSPoller


def test_poll_once_runs_a_batch_deletes_successes_and_leaves_retries(queues: Queues) -> None:
    def flaky(payload: dict[str, Any], ctx: JobContext) -> None:
        if payload["fail"]:
            raise TransientJobError("later", retry_after=60)

    job = define_job("flaky", flaky)
    worker = bootstrap_worker(define_module("app", jobs=[job]), sqs_client=queues.sqs)
    for fail in (False, True, False):
        queues.send(job_message(job, {"fail": fail}).to_json())
    poller = SQSPoller(worker, queues.url, sqs_client=queues.sqs, wait_time_seconds=1)

    results = poller.poll_once()

    assert sorted(r.outcome.value for r in results) == [
        "retry_scheduled",
        "succeeded",
        "succeeded",
    ]
    assert queues.counts() == (0, 1)


def test_messages_received_after_stop_are_released_not_run(queues: Queues, tmp_path: Path) -> None:
    worker = bootstrap_worker(AppModule, sqs_client=queues.sqs)
    marker = tmp_path / "marker"
    queues.send(job_message(work, {"marker": str(marker)}).to_json())
    poller = SQSPoller(worker, queues.url, sqs_client=queues.sqs, wait_time_seconds=1)

    poller.stop()
    assert poller.poll_once() == []

    assert not marker.exists()
    assert queues.counts() == (1, 0)


def test_run_finishes_the_job_in_flight_when_stopped(queues: Queues, tmp_path: Path) -> None:
    worker = bootstrap_worker(AppModule, sqs_client=queues.sqs)
    marker = tmp_path / "marker"
    queues.send(job_message(work, {"marker": str(marker), "seconds": 0.8}).to_json())
    poller = SQSPoller(worker, queues.url, sqs_client=queues.sqs, wait_time_seconds=1)
    thread = threading.Thread(target=poller.run, kwargs={"handle_signals": False})
    thread.start()
    deadline = time.monotonic() + 10
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)

    assert marker.read_text() == "started"
    poller.stop()
    thread.join(timeout=10)

    assert not thread.is_alive()
    assert marker.read_text() == "finished"
    assert queues.counts() == (0, 0)


def test_the_poller_gives_records_the_queues_visibility_as_their_time_budget(
    queues: Queues,
) -> None:
    seen: list[Outcome] = []
    job = define_job("quick", lambda payload, ctx: None)
    worker = bootstrap_worker(
        define_module("app", jobs=[job]), sqs_client=queues.sqs, time_safety_margin_seconds=31
    )
    queues.send(job_message(job, {}).to_json())
    poller = SQSPoller(worker, queues.url, sqs_client=queues.sqs, wait_time_seconds=1)

    seen.extend(r.outcome for r in poller.poll_once())

    # The queue's visibility timeout is 30 s, under the 31 s margin: the record may not start.
    assert seen == [Outcome.SKIPPED]
    assert queues.counts() == (0, 1)
