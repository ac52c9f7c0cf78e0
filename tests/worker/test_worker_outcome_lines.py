"""Outcome lines written directly to the handlers' streams: the same text ``logging`` writes,
without a ``LogRecord``, and ``logging`` itself whenever the configuration asks for it."""

from __future__ import annotations

import io
import json
import logging
import math
import random
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import define_job
from glasswork.jobs.errors import PermanentJobError
from glasswork.jobs.retry_policy import RetryPolicy
from glasswork.modules import define_module
from glasswork.testing.events import FakeLambdaContext, job_message, make_sqs_event
from glasswork.worker import bootstrap_worker
from glasswork.worker.logs import JsonLogFormatter, use_json_logs, use_text_logs
from glasswork.worker.outcome import Outcome, RecordResult, milliseconds
from glasswork.worker.outcome_lines import OutcomeLineWriter, succeeded_fields_json

COMMON_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
"""A format of plain fields only: written from a per-level template of the time and message."""
TEXT_FORMAT = "%(asctime)s %(levelname)s %(levelno)s %(name)s %(process)d %(msecs)03d %(message)s"


class SubclassedHandler(logging.StreamHandler[Any]):
    """A handler the direct writes do not know: its lines go through ``logging``."""


def _noop(payload: dict[str, Any], ctx: JobContext) -> None:
    if payload.get("fail"):
        raise PermanentJobError("card declined")


JOB = define_job("charge", _noop, retry=RetryPolicy(dead=False))  # no queue call on failure


@pytest.fixture
def outcome_logger() -> Iterator[logging.Logger]:
    """The outcome logger on its own (not propagating to pytest's capture handlers)."""
    logger = logging.getLogger("glasswork.worker")
    saved = logger.handlers[:], logger.propagate, logger.level
    logger.propagate = False
    logger.setLevel(logging.INFO)
    yield logger
    logger.handlers[:], logger.propagate = saved[0], saved[1]
    logger.setLevel(saved[2])
    use_text_logs()


def _run_batch(fail_second: bool = False) -> None:
    worker = bootstrap_worker(define_module("app", jobs=[JOB]))
    messages = [
        job_message(JOB, {"fail": fail_second and i == 1}, job_id=f"job-{i}") for i in range(3)
    ]
    worker(make_sqs_event(*messages), FakeLambdaContext())
    worker.close()


def _lines_through(
    logger: logging.Logger, handler_class: type[logging.StreamHandler[Any]], formatter: Any
) -> list[str]:
    stream = io.StringIO()
    handler = handler_class(stream)
    handler.setFormatter(formatter)
    logger.handlers[:] = [handler]
    _run_batch(fail_second=True)
    return stream.getvalue().splitlines()


def _masked(line: str) -> str:
    # Times and durations differ between two runs; everything else must be the same.
    # (The fields may be JSON inside a JSON message, their quotes escaped.)
    line = re.sub(r'duration_ms\\?": [0-9.e-]+', "duration_ms: D", line)
    line = re.sub(r'message_id\\?": \\?"[^"\\]+', "message_id: M", line)
    line = re.sub(r'"timestamp": "[^"]+"', '"timestamp": T', line)
    line = re.sub(r"^\S+ \S+ ", "DATE TIME ", line)
    return re.sub(r"(INFO|ERROR) (\d+) (\S+) (\d+) \d{3} ", r"\1 \2 \3 \4 MS ", line)


@pytest.mark.parametrize(
    "text_format", [TEXT_FORMAT, COMMON_FORMAT, "{%(levelname)-8s} %(message)s"]
)
def test_text_lines_written_directly_equal_what_logging_writes(
    outcome_logger: logging.Logger, text_format: str
) -> None:
    direct = _lines_through(outcome_logger, logging.StreamHandler, logging.Formatter(text_format))
    through_logging = _lines_through(
        outcome_logger, SubclassedHandler, logging.Formatter(text_format)
    )
    assert len(direct) == 3
    # The records of a batch run concurrently: lines are compared in any order.
    assert sorted(map(_masked, direct)) == sorted(map(_masked, through_logging))
    assert all('"event": "job_outcome"' in line for line in direct)


@pytest.mark.parametrize("json_fields", [True, False])
def test_json_lines_written_directly_equal_what_json_log_formatter_writes(
    outcome_logger: logging.Logger, json_fields: bool
) -> None:
    if json_fields:
        use_json_logs(install_formatter=False)
    direct = _lines_through(outcome_logger, logging.StreamHandler, JsonLogFormatter())
    through_logging = _lines_through(outcome_logger, SubclassedHandler, JsonLogFormatter())
    assert len(direct) == 3
    assert sorted(map(_masked, direct)) == sorted(map(_masked, through_logging))
    first = json.loads(direct[0])
    assert first["logger"] == "glasswork.worker" and first["level"] in ("INFO", "ERROR")
    assert ("outcome" in first) is json_fields


def test_direct_lines_make_no_log_record_and_a_filter_brings_logging_back(
    outcome_logger: logging.Logger,
) -> None:
    made: list[str] = []
    factory = logging.getLogRecordFactory()

    def counting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        made.append(record.name)
        return record

    stream = io.StringIO()
    outcome_logger.handlers[:] = [logging.StreamHandler(stream)]
    logging.setLogRecordFactory(counting_factory)
    try:
        _run_batch()
        assert "glasswork.worker" not in made and len(stream.getvalue().splitlines()) == 3

        outcome_logger.addFilter(lambda record: "job-1" not in record.getMessage())
        _run_batch()
    finally:
        logging.setLogRecordFactory(factory)
        outcome_logger.filters.clear()
    assert made.count("glasswork.worker") == 3
    assert len(stream.getvalue().splitlines()) == 3 + 2  # the filter dropped one line


def test_handler_levels_and_a_handler_without_a_stream_are_honoured(
    outcome_logger: logging.Logger, tmp_path: Any
) -> None:
    quiet, loud = io.StringIO(), io.StringIO()
    errors_only = logging.StreamHandler(quiet)
    errors_only.setLevel(logging.ERROR)
    outcome_logger.handlers[:] = [errors_only, logging.StreamHandler(loud)]
    _run_batch(fail_second=True)
    assert len(quiet.getvalue().splitlines()) == 1 and len(loud.getvalue().splitlines()) == 3

    delayed = logging.FileHandler(tmp_path / "outcomes.log", delay=True)
    outcome_logger.handlers[:] = [delayed]
    _run_batch()
    delayed.close()
    assert len((tmp_path / "outcomes.log").read_text().splitlines()) == 3


@pytest.mark.parametrize("text_format", [TEXT_FORMAT, COMMON_FORMAT])
def test_the_text_line_is_exactly_formatters_output_for_the_same_time(text_format: str) -> None:
    logger = logging.getLogger("glasswork.worker")
    writer = OutcomeLineWriter(logger, JsonLogFormatter)
    formatter = logging.Formatter(text_format)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    target = writer._target(handler)
    assert target is not None
    record = logger.makeRecord(logger.name, logging.WARNING, __file__, 0, "a message", (), None)
    from glasswork.worker.outcome_lines import _text_line

    line = _text_line(
        target, record.created, record.msecs, logging.WARNING, logger.name, "a message"
    )
    assert line == formatter.format(record)
    if target.templates is not None:
        from glasswork.worker.outcome_lines import _asctime

        template = target.templates[logging.WARNING]
        assert template.format(_asctime(target, record.created, record.msecs), "a message") == line


def test_succeeded_fields_are_built_as_json_dumps_writes_them() -> None:
    for job_name, job_id, message_id in [
        ("charge", "job-1", "m-1"),
        ('naïve "quoted" \\ name\n', None, "\u2028\U0001f600"),
    ]:
        for attempt, duration_ms in [(1, 0.0), (3, 12.345), (10, 1e-05), (2, 123456789.123)]:
            expected = json.dumps(
                {
                    "event": "job_outcome",
                    "outcome": "succeeded",
                    "job_name": job_name,
                    "job_id": job_id,
                    "attempt": attempt,
                    "duration_ms": duration_ms,
                    "message_id": message_id,
                }
            )
            built = succeeded_fields_json(job_name, job_id, attempt, duration_ms, message_id)
            assert built == expected


def test_a_succeeded_line_reuses_the_time_text_only_within_its_millisecond() -> None:
    from unittest import mock

    from glasswork.worker.outcome_lines import _asctime

    logger = logging.getLogger("glasswork.worker")
    writer = OutcomeLineWriter(logger, JsonLogFormatter)
    formatter = logging.Formatter(COMMON_FORMAT)
    handler = logging.StreamHandler(io.StringIO())
    handler.setFormatter(formatter)
    target = writer._target(handler)
    assert target is not None and target.info_parts == ("", " INFO glasswork.worker ", "")

    def record_at(when: float) -> logging.LogRecord:
        # A record made at `when`, as logging makes it on this Python.
        with (
            mock.patch("time.time", return_value=when),
            mock.patch("time.time_ns", return_value=int(when * 1e9)),
        ):
            return logger.makeRecord(logger.name, logging.INFO, __file__, 0, "m", (), None)

    rng = random.Random(12)
    for _ in range(2000):
        first = record_at(1_764_000_000 + rng.random() * 100_000)
        text = _asctime(target, first.created, first.msecs)
        assert text == formatter.formatTime(first)
        low, high = target.fresh_from, target.fresh_until
        assert 0 < high - low < 0.001
        for when in (low, (low + high) / 2, math.nextafter(high, 0)):
            assert formatter.formatTime(record_at(when)) == text


class FlushCountingStream(io.StringIO):
    """A stream that counts its flushes."""

    flushes = 0

    def flush(self) -> None:
        self.flushes += 1
        super().flush()


def _succeeded_writer_on(
    writer: OutcomeLineWriter, handler: logging.StreamHandler[Any]
) -> Callable[[RecordResult], None]:
    writer.logger.handlers[:] = [handler]
    writer.refresh()
    write = writer.succeeded_writer()
    assert write is not None
    return write


def test_succeeded_lines_hold_the_fields_succeeded_fields_json_gives(
    outcome_logger: logging.Logger,
) -> None:
    # The writer builds the fields itself: the same text, hostile values and all, and each
    # duration's text as milliseconds() gives it, inside and outside its cache of texts.
    writer = OutcomeLineWriter(outcome_logger, JsonLogFormatter)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(COMMON_FORMAT))
    write = _succeeded_writer_on(writer, handler)
    cases = [
        ("charge", "job-1", "m-1", 1, 0.0000123),
        ('naïve "quoted" \\ name\n', None, "\u2028\U0001f600", 3, 0.0009994),
        ("charge", '"><script>', "m-2", 10, 0.0009996),  # 999.6 µs: 1 ms, as text
        ("charge", "job-3", "m-3", 2, 12.3456789),
        ("charge", "job-1", "m-1", 1, 0.0000123),  # a duration's cached text again
    ]
    for name, job_id, message_id, attempt, seconds in cases:
        write(RecordResult(message_id, Outcome.SUCCEEDED, name, job_id, attempt, seconds))
    lines = stream.getvalue().splitlines()
    fields = [line.partition(" INFO glasswork.worker ")[2] for line in lines]
    assert fields == [
        succeeded_fields_json(name, job_id, attempt, milliseconds(seconds), message_id)
        for name, job_id, message_id, attempt, seconds in cases
    ]
    assert json.loads(fields[2])["duration_ms"] == 1.0


def test_a_succeeded_writer_follows_held_flushes_and_the_handlers_terminator(
    outcome_logger: logging.Logger,
) -> None:
    writer = OutcomeLineWriter(outcome_logger, JsonLogFormatter)
    stream = FlushCountingStream()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    result = RecordResult("m-1", Outcome.SUCCEEDED, "charge", "job-1", 1, 0.001)

    writer.hold_flushes()
    held = _succeeded_writer_on(writer, handler)
    held(result)
    held(result)
    assert stream.flushes == 0  # a batch's lines are flushed together, when it ends
    writer.release_flushes()
    assert stream.flushes == 1

    flushing = _succeeded_writer_on(writer, handler)  # flushes not held: each line
    flushing(result)
    assert stream.flushes == 2
    handler.terminator = "\r\n"
    _succeeded_writer_on(writer, handler)(result)
    assert stream.getvalue().count("\n") == 4 and stream.getvalue().endswith("}\r\n")


@pytest.mark.parametrize("text_format", [COMMON_FORMAT, TEXT_FORMAT])
def test_a_warm_workers_quick_batch_writes_the_lines_logging_writes(
    outcome_logger: logging.Logger, text_format: str
) -> None:
    worker = bootstrap_worker(define_module("app", jobs=[JOB]))
    outcome_logger.handlers[:] = [logging.NullHandler()]
    worker(make_sqs_event(job_message(JOB, {})), FakeLambdaContext())  # the job is quick now
    assert worker.registry.by_name["charge"].duration_estimate_seconds is not None

    def lines_through(handler_class: type[logging.StreamHandler[Any]]) -> list[str]:
        stream = io.StringIO()
        handler = handler_class(stream)
        handler.setFormatter(logging.Formatter(text_format))
        outcome_logger.handlers[:] = [handler]
        messages = [job_message(JOB, {"fail": i == 1}, job_id=f"job-{i}") for i in range(3)]
        worker(make_sqs_event(*messages), FakeLambdaContext())
        return stream.getvalue().splitlines()

    direct = lines_through(logging.StreamHandler)
    through_logging = lines_through(SubclassedHandler)
    worker.close()

    assert len(direct) == 3 and sum('"succeeded"' in line for line in direct) == 2
    # One batch of quick jobs runs in order: the lines come in record order too.
    assert list(map(_masked, direct)) == list(map(_masked, through_logging))
