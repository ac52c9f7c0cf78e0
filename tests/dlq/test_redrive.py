"""Redriving dead letters: a filtered subset or all, and nothing lost when interrupted."""

from __future__ import annotations

import json
from typing import Any

import pytest
from dead_letters_support import body, counts, dead_letter, make_queues

from glasswork.dlq import DeadLetterFilter, received_dead_letters, redrive_dead_letters


def _messages_on(sqs: Any, url: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while True:
        batch = sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=10,
            VisibilityTimeout=60,
            MessageAttributeNames=["All"],
        )
        if not batch.get("Messages"):
            return found
        found.extend(batch["Messages"])


def _bodies_on(sqs: Any, url: str) -> list[str]:
    return [message["Body"] for message in _messages_on(sqs, url)]


def test_listing_reads_every_field_and_leaves_the_queue_as_it_was(sqs: Any) -> None:
    source, dead = make_queues(sqs)
    dead_letter(sqs, source, [body("charge", {"account": "a"}, "j-1"), "{not json"])

    with received_dead_letters(sqs, dead) as messages:
        by_reason = {m.reason: m for m in messages}

    assert counts(sqs, dead) == (2, 0)  # released, not consumed
    charge = by_reason["permanent_error"]
    assert (charge.job_name, charge.job_id, charge.error_type) == (
        "charge",
        "j-1",
        "PermanentJobError",
    )
    assert charge.error_message == "account a is closed"
    assert charge.attempts == 1 and 0 <= charge.age_seconds < 60
    assert charge.source_queue_arn is not None and charge.source_queue_arn.endswith(":ops")
    assert by_reason["invalid_json"].job_name is None


def test_a_filtered_redrive_moves_only_the_matching_messages(sqs: Any) -> None:
    source, dead = make_queues(sqs)
    bodies = [body("charge", {"account": str(n)}, f"c-{n}") for n in range(12)]
    bodies += [body("sync", {}, f"s-{n}") for n in range(3)]
    dead_letter(sqs, source, bodies)

    report = redrive_dead_letters(
        sqs, dead, source, only=DeadLetterFilter(reason="retries_exhausted", job_name="sync")
    )

    assert (report.matched, report.moved, report.looked_at) == (3, 3, 15)
    moved = _bodies_on(sqs, source)
    assert sorted(json.loads(b)["jobId"] for b in moved) == ["s-0", "s-1", "s-2"]
    assert counts(sqs, dead) == (12, 0)


def test_a_dry_run_moves_nothing(sqs: Any) -> None:
    source, dead = make_queues(sqs)
    dead_letter(sqs, source, [body("charge", {}, f"c-{n}") for n in range(4)])
    seen: list[str] = []

    report = redrive_dead_letters(
        sqs, dead, source, dry_run=True, selected=lambda m: seen.append(m.job_id or "")
    )

    assert (report.matched, report.moved) == (4, 0)
    assert sorted(seen) == ["c-0", "c-1", "c-2", "c-3"]
    assert counts(sqs, dead) == (4, 0) and counts(sqs, source) == (0, 0)


def test_an_unfiltered_redrive_moves_everything_back_clean(sqs: Any) -> None:
    source, dead = make_queues(sqs)
    bodies = [body("charge", {"account": str(n)}, f"c-{n}") for n in range(25)]
    dead_letter(sqs, source, bodies)

    report = redrive_dead_letters(sqs, dead, source)

    assert report.moved == 25 and report.move_task_handle is None  # the emulator has no tasks
    moved = _messages_on(sqs, source)
    assert sorted(m["Body"] for m in moved) == sorted(bodies)
    assert counts(sqs, dead) == (0, 0)
    # The redriven copy is a fresh job message: no dead-letter reason travels with it.
    assert [m for m in moved if "DeadLetterReason" in m.get("MessageAttributes", {})] == []


def test_an_interrupted_redrive_loses_nothing(sqs: Any) -> None:
    source, dead = make_queues(sqs)
    bodies = [body("charge", {"account": str(n)}, f"c-{n}") for n in range(25)]
    dead_letter(sqs, source, bodies)

    def interrupt(moved: int, read: int) -> None:
        if read >= 10:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        redrive_dead_letters(
            sqs, dead, source, only=DeadLetterFilter(job_name="charge"), progress=interrupt
        )

    on_source = _bodies_on(sqs, source)
    on_dead = _bodies_on(sqs, dead)  # every message not moved is visible again at once
    assert len(on_source) == 10
    assert sorted(on_source + on_dead) == sorted(bodies)
