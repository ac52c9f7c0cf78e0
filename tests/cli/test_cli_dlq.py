"""``glasswork dlq list|show|redrive QUEUE`` on the local SQS, with dead letters the worker made."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from glasswork.cli import main
from glasswork.testing import LocalAWS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "dlq"))

from dead_letters_support import body, counts, dead_letter, make_queues


@pytest.fixture
def dead_letters(sqs: Any) -> tuple[str, str]:
    source, dead = make_queues(sqs)
    dead_letter(
        sqs,
        source,
        [body("charge", {"account": f"a-{n}"}, f"c-{n}") for n in range(3)]
        + [body("sync", {"id": n}, f"s-{n}") for n in range(2)]
        + ["{not json"],
    )
    return source, dead


def _run(local_aws: LocalAWS, action: str, queue: str, *extra: str) -> int:
    endpoint = ["--endpoint-url", local_aws.endpoint_url, "--region", "us-east-1"]
    return main(["dlq", action, queue, *endpoint, *extra])


def test_list_shows_reason_error_job_attempts_and_age_and_filters_on_each(
    local_aws: LocalAWS, dead_letters: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(local_aws, "list", "ops", "--json") == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    summary = sorted(
        (r["job_name"] or "", r["reason"], r["error_type"], r["attempts"]) for r in rows
    )
    assert summary == [
        ("", "invalid_json", "PoisonMessageError", 1),
        ("charge", "permanent_error", "PermanentJobError", 1),
        ("charge", "permanent_error", "PermanentJobError", 1),
        ("charge", "permanent_error", "PermanentJobError", 1),
        ("sync", "retries_exhausted", "TimeoutError", 1),
        ("sync", "retries_exhausted", "TimeoutError", 1),
    ]
    assert all(0 <= r["age_seconds"] < 120 for r in rows)

    for flags, expected in [
        (["--reason", "retries_exhausted"], {"s-0", "s-1"}),
        (["--error-type", "PermanentJobError"], {"c-0", "c-1", "c-2"}),
        (["--job", "charge"], {"c-0", "c-1", "c-2"}),
        (["--reason", "invalid_json"], {None}),
        (["--min-attempts", "2"], set()),
        (["--older-than", "1h"], set()),
        (["--newer-than", "1h", "--job", "sync"], {"s-0", "s-1"}),
    ]:
        assert _run(local_aws, "list", "ops", "--json", *flags) == 0
        found = {json.loads(line)["job_id"] for line in capsys.readouterr().out.splitlines()}
        assert found == expected, flags


def test_list_prints_a_table(
    local_aws: LocalAWS, dead_letters: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(local_aws, "list", "ops", "--job", "sync") == 0
    captured = capsys.readouterr()
    header, *rows = captured.out.splitlines()
    assert header.split() == ["MESSAGE", "ID", "JOB", "REASON", "ERROR", "TYPE", "ATTEMPTS", "AGE"]
    assert len(rows) == 2 and all("retries_exhausted" in row for row in rows)
    assert "2 of 6 dead letters" in captured.err


def test_show_prints_one_dead_letter_with_its_payload(
    local_aws: LocalAWS,
    sqs: Any,
    dead_letters: tuple[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _run(local_aws, "list", "ops", "--json", "--job", "sync") == 0
    message_id = json.loads(capsys.readouterr().out.splitlines()[0])["message_id"]

    assert _run(local_aws, "show", "ops", message_id) == 0

    shown = json.loads(capsys.readouterr().out)
    assert shown["message_id"] == message_id
    assert shown["body"]["jobName"] == "sync" and "id" in shown["body"]["payload"]
    assert shown["error_message"] == "upstream timed out"
    assert counts(sqs, dead_letters[1]) == (6, 0)


def test_show_names_a_missing_message(
    local_aws: LocalAWS, dead_letters: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(local_aws, "show", "ops", "no-such-id") == 2
    assert "no dead letter 'no-such-id'" in capsys.readouterr().err


def test_redrive_a_dry_run_then_a_filtered_subset_with_progress(
    local_aws: LocalAWS,
    sqs: Any,
    dead_letters: tuple[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    source, dead = dead_letters

    assert _run(local_aws, "redrive", "ops", "--reason", "retries_exhausted", "--dry-run") == 0
    assert "dry run: 2 of 6 dead letters would move" in capsys.readouterr().out
    assert counts(sqs, dead) == (6, 0) and counts(sqs, source) == (0, 0)

    assert _run(local_aws, "redrive", "ops", "--reason", "retries_exhausted") == 0
    captured = capsys.readouterr()
    assert "moved 2 of 2 matching dead letters" in captured.out
    assert "redrive: 6 read, moved 2" in captured.err
    assert counts(sqs, dead) == (4, 0) and counts(sqs, source) == (2, 0)


def test_a_queue_without_a_redrive_policy_needs_dlq(
    local_aws: LocalAWS, sqs: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    sqs.create_queue(QueueName="bare")
    assert _run(local_aws, "list", "bare") == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "has no RedrivePolicy" in line and "--dlq" in line
