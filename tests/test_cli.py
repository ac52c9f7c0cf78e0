"""The ``glasswork`` command (worker part): ``glasswork worker APP [--queue NAME]``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from glasswork.cli import load_app, main
from glasswork.modules import Module
from glasswork.testing import LocalAWS

REPOSITORY = Path(__file__).resolve().parent.parent
GLASSWORK = Path(sys.executable).parent / "glasswork"


def _counts(sqs: Any, url: str) -> tuple[int, int]:
    attributes = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return (
        int(attributes["ApproximateNumberOfMessages"]),
        int(attributes["ApproximateNumberOfMessagesNotVisible"]),
    )


def _wait_for(condition: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_worker_command_runs_jobs_and_on_sigterm_finishes_the_one_in_flight(
    local_aws: LocalAWS, sqs: Any, tmp_path: Path
) -> None:
    url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    first, second = tmp_path / "first", tmp_path / "second"
    body = '{{"jobName": "work", "payload": {{"marker": "{}", "seconds": {}}}}}'
    sqs.send_message(QueueUrl=url, MessageBody=body.format(first, 0))
    environment = {
        **os.environ,
        "AWS_ENDPOINT_URL": local_aws.endpoint_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    process = subprocess.Popen(
        [
            str(GLASSWORK),
            "worker",
            "tests.worker.sample_app",
            "--queue",
            "jobs",
            "--wait-seconds",
            "1",
        ],
        cwd=REPOSITORY,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert _wait_for(lambda: first.exists() and first.read_text() == "finished", 20)
        sqs.send_message(QueueUrl=url, MessageBody=body.format(second, 1.5))
        assert _wait_for(lambda: second.exists(), 10), "the second job never started"

        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()

    assert process.returncode == 0, output
    assert second.read_text() == "finished"
    assert _counts(sqs, url) == (0, 0)
    assert "SIGTERM received" in output
    assert '"outcome": "succeeded"' in output


def test_worker_command_explains_an_app_that_cannot_be_imported(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["worker", "no_such_package.app", "--queue", "jobs"])

    assert status == 2
    assert "cannot import 'no_such_package.app'" in capsys.readouterr().err


def test_app_is_found_by_attribute_or_by_conventional_name() -> None:
    by_default = load_app("tests.worker.sample_app")
    by_name = load_app("tests.worker.sample_app:AppModule")

    assert isinstance(by_default, Module) and by_default is by_name


def test_an_app_attribute_that_does_not_exist_is_named() -> None:
    from glasswork.cli import CommandError

    with pytest.raises(CommandError, match="'Missing'"):
        load_app("tests.worker.sample_app:Missing")


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "worker" in capsys.readouterr().out
