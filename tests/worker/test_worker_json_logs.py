"""One log format: with JSON logging on, ``ctx.logger`` lines and outcome lines are JSON objects
of one shape, with the job's name, id and attempt on every line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import define_job
from glasswork.modules import define_module
from glasswork.testing.events import make_sqs_record
from glasswork.worker import bootstrap_worker
from glasswork.worker.logs import JsonLogFormatter, json_logs_wanted, use_text_logs


def _greet(payload: dict[str, Any], ctx: JobContext) -> None:
    ctx.logger.info("greeting %s", payload["name"], extra={"channel": "email"})


APP = define_module("greetings", jobs=[define_job("greet", _greet)])


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonLogFormatter())
    loggers = [logging.getLogger("glasswork.worker"), logging.getLogger("glasswork.job")]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield out
    for logger in loggers:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
    use_text_logs()


def test_ctx_logger_and_outcome_lines_share_one_json_shape(
    stream: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As in Lambda's JSON log format: the runtime's formatter (here ours) writes the lines.
    monkeypatch.setenv("AWS_LAMBDA_LOG_FORMAT", "JSON")
    worker = bootstrap_worker(APP)
    record = make_sqs_record({"jobName": "greet", "payload": {"name": "Ada"}, "jobId": "j-1"})
    record["attributes"]["ApproximateReceiveCount"] = "3"

    worker({"Records": [record]})

    job_line, outcome_line = (json.loads(line) for line in stream.getvalue().splitlines())
    for line in (job_line, outcome_line):
        assert {"timestamp", "level", "logger", "message"} <= set(line)
        assert (line["job_name"], line["job_id"], line["attempt"]) == ("greet", "j-1", 3)
    assert job_line["message"] == "greeting Ada" and job_line["channel"] == "email"
    assert job_line["logger"] == "glasswork.job.greet" and job_line["level"] == "INFO"
    assert outcome_line["outcome"] == "succeeded" and outcome_line["event"] == "job_outcome"
    assert "glasswork" not in outcome_line


def test_without_json_logging_the_outcome_line_is_its_own_json_message(
    stream: io.StringIO,
) -> None:
    use_text_logs()
    worker = bootstrap_worker(APP, json_logs=False)

    worker({"Records": [make_sqs_record({"jobName": "greet", "payload": {"name": "Ada"}})]})

    outcome = json.loads(stream.getvalue().splitlines()[-1])
    assert json.loads(outcome["message"])["outcome"] == "succeeded"


@pytest.mark.parametrize(
    ("environment", "wanted"),
    [
        ({"AWS_LAMBDA_LOG_FORMAT": "JSON"}, True),
        ({"AWS_LAMBDA_LOG_FORMAT": "Text"}, False),
        ({"GLASSWORK_LOG_FORMAT": "json"}, True),
        ({"GLASSWORK_LOG_FORMAT": "text", "AWS_LAMBDA_LOG_FORMAT": "JSON"}, False),
        ({}, False),
    ],
)
def test_json_logging_follows_lambdas_log_format_or_ours(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], wanted: bool
) -> None:
    monkeypatch.delenv("AWS_LAMBDA_LOG_FORMAT", raising=False)
    monkeypatch.delenv("GLASSWORK_LOG_FORMAT", raising=False)
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    assert json_logs_wanted() is wanted
