"""Specification of define_job, define_periodic_job and payload validation."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter

from glasswork import JobContext, RetryPolicy, define_job, define_periodic_job
from glasswork.jobs.definition import JobDefinition
from glasswork.jobs.errors import InvalidJobDefinitionError, InvalidJobPayloadError


class Notification(BaseModel):
    user_id: str
    message: str
    priority: int = 0


def handle(payload: Notification, ctx: JobContext) -> None:
    pass


async def handle_async(payload: Notification, ctx: JobContext) -> None:
    pass


def test_define_job_keeps_name_queue_and_defaults() -> None:
    job = define_job("send-notification", handle, schema=Notification)
    assert job.name == "send-notification"
    assert job.queue == "default"
    assert job.retry == RetryPolicy(max_attempts=25, dead=True)
    assert job.is_async is False
    assert define_job("async-one", handle_async, schema=Notification).is_async is True


@pytest.mark.parametrize(
    ("retry", "attempts", "dead"),
    [(None, 25, True), (3, 3, True), (False, 1, False), (RetryPolicy(max_attempts=7), 7, True)],
)
def test_retry_option_maps_to_a_policy(retry: Any, attempts: int, dead: bool) -> None:
    job = define_job("job", handle, schema=Notification, retry=retry)
    assert (job.retry.max_attempts, job.retry.dead) == (attempts, dead)


@pytest.mark.parametrize(
    "name", ["", "has space", "slash/name", "-starts-with-dash", "x" * 65, "é"]
)
def test_invalid_job_names_are_rejected_with_the_name(name: str) -> None:
    with pytest.raises(InvalidJobDefinitionError) as caught:
        define_job(name, handle, schema=Notification)
    assert repr(name)[:20] in str(caught.value) or name == ""


def test_retry_policy_rejects_backoff_over_the_sqs_visibility_limit() -> None:
    with pytest.raises(InvalidJobDefinitionError, match="43200"):
        RetryPolicy(max_backoff_seconds=50_000)
    with pytest.raises(InvalidJobDefinitionError, match="max_attempts"):
        RetryPolicy(max_attempts=0)


def test_backoff_grows_exponentially_with_jitter_and_stays_capped() -> None:
    policy = RetryPolicy(min_backoff_seconds=10, max_backoff_seconds=100)
    for attempt, ceiling in [(1, 10), (2, 20), (3, 40), (4, 80), (5, 100), (30, 100)]:
        draws = {policy.backoff_seconds(attempt) for _ in range(200)}
        assert min(draws) >= ceiling // 2
        assert max(draws) <= ceiling
        if ceiling >= 20:
            assert len(draws) > 1, "jitter spreads retries out"


def test_validate_payload_names_job_and_each_failing_field() -> None:
    job = define_job("send-notification", handle, schema=Notification)
    with pytest.raises(InvalidJobPayloadError) as caught:
        job.validate_payload({"user_id": 5, "priority": "high"})
    message = str(caught.value)
    assert "send-notification" in message
    assert "user_id" in message and "message" in message and "priority" in message
    assert caught.value.job_name == "send-notification"
    assert {error["loc"][0] for error in caught.value.errors} == {"user_id", "message", "priority"}


def test_validate_payload_accepts_a_model_or_a_dict() -> None:
    job = define_job("send-notification", handle, schema=Notification)
    from_dict = job.validate_payload({"user_id": "u1", "message": "hi"})
    assert from_dict == Notification(user_id="u1", message="hi")
    assert job.dump_payload(from_dict) == {"user_id": "u1", "message": "hi", "priority": 0}


def test_schema_may_be_a_type_adapter_of_a_union() -> None:
    class A(BaseModel):
        kind: str = "a"

    adapter: TypeAdapter[A | int] = TypeAdapter(A | int)
    job = define_job("union", lambda payload, ctx: None, schema=adapter)
    assert job.validate_payload(3) == 3


def test_a_schema_given_as_a_function_is_made_once_on_first_use() -> None:
    made: list[TypeAdapter[Notification]] = []

    def make_schema() -> TypeAdapter[Notification]:
        made.append(TypeAdapter(Notification))
        return made[-1]

    job = JobDefinition("lazy-schema", handle, make_schema)
    assert made == []
    payload = job.validate_payload({"user_id": "u1", "message": "hi"})
    assert payload == Notification(user_id="u1", message="hi")
    assert job.dump_payload(payload)["priority"] == 0
    assert len(made) == 1
    assert job.schema is made[0]


def test_job_without_schema_takes_any_json_object() -> None:
    job = define_job("untyped", lambda payload, ctx: None)
    assert job.validate_payload({"a": [1, 2]}) == {"a": [1, 2]}
    with pytest.raises(InvalidJobPayloadError):
        job.validate_payload([1, 2])


def test_periodic_job_validates_its_schedule_when_defined() -> None:
    job = define_periodic_job(
        "daily-digest", handle, schedule="cron(0 8 * * ? *)", schema=Notification
    )
    assert job.schedule == "cron(0 8 * * ? *)"
    assert job.timezone == "UTC"
    with pytest.raises(InvalidJobDefinitionError, match="daily-digest"):
        define_periodic_job("daily-digest", handle, schedule="cron(0 8 * * *)")
