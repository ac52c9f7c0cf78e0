"""Metrics: CloudWatch Embedded Metric Format lines, off by default, one per job per batch."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from worker_support import Queues, deliver

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import define_job
from glasswork.jobs.errors import PermanentJobError
from glasswork.modules import define_module
from glasswork.testing.events import FakeLambdaContext, make_sqs_record
from glasswork.worker import bootstrap_worker
from glasswork.worker.metrics import Metrics


def _charge(payload: dict[str, Any], ctx: JobContext) -> None:
    if payload.get("declined"):
        raise PermanentJobError("declined")


CHARGE = define_job("charge", _charge)
APP = define_module("billing", jobs=[CHARGE])


def _body(payload: dict[str, Any], enqueued_at: datetime) -> str:
    return json.dumps(
        {
            "jobName": "charge",
            "payload": payload,
            "jobId": f"j-{payload}",
            "enqueuedAt": enqueued_at.isoformat(),
        }
    )


def test_metrics_are_off_by_default_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GLASSWORK_METRICS", raising=False)
    worker = bootstrap_worker(APP)
    worker({"Records": [make_sqs_record({"jobName": "charge", "payload": {}})]})

    assert worker.metrics is None
    assert "_aws" not in capsys.readouterr().out


def test_a_batch_writes_one_emf_line_per_job_with_outcomes_durations_and_latency(
    queues: Queues,
) -> None:
    lines: list[str] = []
    worker = bootstrap_worker(APP, sqs_client=queues.sqs, metrics=Metrics(write=lines.append))
    enqueued = datetime.now(UTC) - timedelta(seconds=30)
    queues.send(_body({"n": 1}, enqueued))
    queues.send(_body({"n": 2}, enqueued))
    queues.send(_body({"declined": True}, enqueued))
    queues.send("{not json")

    deliver(worker, queues)

    documents = {doc["JobName"]: doc for doc in map(json.loads, lines)}
    assert set(documents) == {"charge", "unknown"}
    charge = documents["charge"]
    (directive,) = charge["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "Glasswork"
    assert directive["Dimensions"] == [["JobName"]]
    units = {metric["Name"]: metric["Unit"] for metric in directive["Metrics"]}
    assert units == {
        "Succeeded": "Count",
        "DeadLettered": "Count",
        "HandlerDuration": "Milliseconds",
        "QueueLatency": "Milliseconds",
    }
    assert (charge["Succeeded"], charge["DeadLettered"]) == (2, 1)
    assert len(charge["HandlerDuration"]) == 3
    assert all(30_000 <= latency < 90_000 for latency in charge["QueueLatency"])
    assert documents["unknown"]["DeadLettered"] == 1
    assert abs(charge["_aws"]["Timestamp"] / 1000 - datetime.now(UTC).timestamp()) < 60


def test_the_environment_turns_metrics_on_and_they_go_to_standard_output(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GLASSWORK_METRICS", "1")
    worker = bootstrap_worker(APP)

    worker(
        {"Records": [make_sqs_record({"jobName": "charge", "payload": {}})]}, FakeLambdaContext()
    )

    (line,) = [line for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    assert json.loads(line)["Succeeded"] == 1
