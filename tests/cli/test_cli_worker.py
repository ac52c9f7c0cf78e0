"""``glasswork worker``: region and queue come from where an operator keeps them; every
configuration error is one line and exit status 2."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from glasswork.cli import main
from glasswork.cli.aws import AppQueues
from glasswork.modules import Container
from glasswork.testing import LocalAWS

REPOSITORY = Path(__file__).resolve().parent.parent.parent
GLASSWORK = Path(sys.executable).parent / "glasswork"


def _environment(local_aws: LocalAWS, home: Path, **extra: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") and key != GLASSWORK_QUEUE
    }
    environment.update(
        {
            "HOME": str(home),  # no ~/.aws/config to find a region in
            "AWS_ENDPOINT_URL": local_aws.endpoint_url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            **extra,
        }
    )
    return environment


GLASSWORK_QUEUE = "GLASSWORK_WORKER_QUEUE"


def _run(arguments: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(GLASSWORK), *arguments],
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _wait_for(condition: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_without_a_region_the_worker_says_so_in_one_line_and_exits_2(
    local_aws: LocalAWS, tmp_path: Path
) -> None:
    environment = _environment(local_aws, tmp_path, SAMPLE_QUEUE_URL="http://x/1/q")

    done = _run(["worker", "tests.worker.sample_app", "--queue", "jobs"], environment)

    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "glasswork: error: no AWS region: pass --region, or set AWS_REGION (or AWS_DEFAULT_REGION)"
    ]


def test_an_unknown_queue_is_one_line_naming_the_queues_the_app_knows(
    local_aws: LocalAWS, sqs: Any, tmp_path: Path
) -> None:
    url = sqs.create_queue(QueueName="sample-main")["QueueUrl"]
    environment = _environment(local_aws, tmp_path, AWS_REGION="us-east-1", SAMPLE_QUEUE_URL=url)

    done = _run(["worker", "tests.cli.sample_app", "--queue", "nope"], environment)

    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert "no SQS queue named 'nope'" in line and "'default'" in line


def test_an_app_that_cannot_be_imported_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["worker", "no_such_package.app", "--queue", "jobs"]) == 2
    assert "cannot import 'no_such_package.app'" in capsys.readouterr().err


def test_the_apps_driver_maps_a_logical_queue_name_to_its_url(
    sqs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.cli.sample_app import AppModule

    url = sqs.create_queue(QueueName="sample-main")["QueueUrl"]
    monkeypatch.setenv("SAMPLE_QUEUE_URL", url)

    queues = AppQueues(Container(AppModule))

    assert queues.url_of(sqs, "default") == url
    assert queues.url_of(sqs, "sample-main") == url  # an SQS name still works
    assert queues.url_of(sqs, url) == url


def test_the_worker_polls_with_aws_region_only_warns_once_without_a_dlq_and_freezes_its_init(
    local_aws: LocalAWS, sqs: Any, tmp_path: Path
) -> None:
    # The queue's SQS name is not the jobs' logical queue name "default": only the app's
    # driver knows which URL "default" is. The queue has no redrive policy.
    url = sqs.create_queue(QueueName="sample-main")["QueueUrl"]
    marker = tmp_path / "marker"
    sqs.send_message(QueueUrl=url, MessageBody="{not json")
    sqs.send_message(QueueUrl=url, MessageBody="[1, 2")
    sqs.send_message(
        QueueUrl=url, MessageBody=f'{{"jobName": "mark", "payload": {{"marker": "{marker}"}}}}'
    )
    environment = _environment(local_aws, tmp_path, AWS_REGION="us-east-1", SAMPLE_QUEUE_URL=url)
    process = subprocess.Popen(
        [str(GLASSWORK), "worker", "tests.cli.sample_app", "--wait-seconds", "1"],
        cwd=REPOSITORY,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert _wait_for(marker.exists, 30), "the job never ran"
        time.sleep(1.5)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()

    assert process.returncode == 0, output
    assert "Traceback" not in output and "KeyError" not in output
    assert output.count("has no RedrivePolicy") == 1
    assert output.count('"reason": "no_dead_letter_queue"') >= 2
    # The poller froze what its init built before it ran the job.
    assert int(marker.read_text().split()[1]) > 1000
