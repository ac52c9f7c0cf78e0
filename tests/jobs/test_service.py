"""Specification of JobService with SQSQueueDriver, on SQS and Scheduler of the local emulator."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import BaseModel

from glasswork import (
    EnqueueResult,
    InvalidJobPayloadError,
    JobContext,
    JobDefinition,
    JobService,
    PayloadTooLargeError,
    SchedulerConfig,
    SQSQueueDriver,
    define_job,
)
from glasswork.jobs.errors import InvalidDelayError, SchedulerNotConfiguredError, UnknownQueueError
from glasswork.testing import LocalAWS

ROLE_ARN = "arn:aws:iam::123456789012:role/glasswork-scheduler"


class Notification(BaseModel):
    user_id: str
    message: str


def handle(payload: Notification, ctx: JobContext) -> None:
    pass


notify = define_job("send-notification", handle, schema=Notification)
report = define_job("build-report", handle, schema=Notification, queue="reports")
unique_notify = define_job(
    "unique-notification",
    handle,
    schema=Notification,
    queue="ordered",
    unique=lambda p: f"notify-{p.user_id}",
    group=lambda p: p.user_id,
)


@pytest.fixture
def queues(local_aws: LocalAWS, sqs: Any) -> dict[str, str]:
    return {
        "default": sqs.create_queue(QueueName="jobs")["QueueUrl"],
        "reports": sqs.create_queue(QueueName="reports")["QueueUrl"],
        "ordered": sqs.create_queue(QueueName="ordered.fifo", Attributes={"FifoQueue": "true"})[
            "QueueUrl"
        ],
    }


@pytest.fixture
def service(local_aws: LocalAWS, queues: dict[str, str]) -> JobService:
    driver = SQSQueueDriver(
        queues,
        region="us-east-1",
        endpoint_url=local_aws.endpoint_url,
        scheduler=SchedulerConfig(role_arn=ROLE_ARN),
    )
    return JobService(driver)


def receive(sqs: Any, url: str, wait: int = 0) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = sqs.receive_message(
        QueueUrl=url,
        MaxNumberOfMessages=10,
        WaitTimeSeconds=wait,
        MessageAttributeNames=["All"],
        AttributeNames=["All"],
    ).get("Messages", [])
    return messages


def test_enqueue_sends_the_wire_format_with_a_job_name_attribute(
    service: JobService, sqs: Any, queues: dict[str, str]
) -> None:
    result = service.enqueue(notify, Notification(user_id="u1", message="hi"))
    [message] = receive(sqs, queues["default"])
    body = json.loads(message["Body"])
    assert body["jobName"] == "send-notification"
    assert body["payload"] == {"user_id": "u1", "message": "hi"}
    assert body["jobId"] == result.job_id
    assert datetime.fromisoformat(body["enqueuedAt"]) <= datetime.now(UTC)
    assert body["metadata"] == {}
    assert message["MessageAttributes"]["JobName"]["StringValue"] == "send-notification"
    assert message["MessageId"] == result.message_id


def test_enqueue_accepts_a_dict_and_validates_it(
    service: JobService, sqs: Any, queues: dict[str, str]
) -> None:
    service.enqueue(notify, {"user_id": "u1", "message": "hi"})  # type: ignore[arg-type]
    [message] = receive(sqs, queues["default"])
    assert json.loads(message["Body"])["payload"]["user_id"] == "u1"


def test_invalid_payload_raises_and_sends_nothing(
    service: JobService, sqs: Any, queues: dict[str, str]
) -> None:
    with pytest.raises(InvalidJobPayloadError, match=r"send-notification.*message"):
        service.enqueue(notify, {"user_id": "u1"})  # type: ignore[arg-type]
    assert receive(sqs, queues["default"]) == []


def test_payload_over_the_size_limit_raises_with_both_sizes(
    service: JobService, sqs: Any, queues: dict[str, str]
) -> None:
    with pytest.raises(PayloadTooLargeError) as caught:
        service.enqueue(notify, Notification(user_id="u", message="x" * 1_048_576))
    assert caught.value.limit_bytes == 1_048_576
    assert caught.value.size_bytes > 1_048_576
    assert "1,048,576" in str(caught.value)
    assert receive(sqs, queues["default"]) == []


def test_payload_just_under_one_mib_is_accepted_by_sqs(
    service: JobService, sqs: Any, queues: dict[str, str]
) -> None:
    overhead = len('{"user_id":"u","message":""}') + 200
    result = service.enqueue(
        notify, Notification(user_id="u", message="x" * (1_048_576 - overhead))
    )
    assert result.message_id
    [message] = receive(sqs, queues["default"])
    assert len(message["Body"]) > 1_000_000


def test_jobs_go_to_their_own_queue(service: JobService, sqs: Any, queues: dict[str, str]) -> None:
    service.enqueue(report, Notification(user_id="u", message="m"))
    assert receive(sqs, queues["default"]) == []
    assert len(receive(sqs, queues["reports"])) == 1


def test_unknown_queue_is_a_clear_error(local_aws: LocalAWS, queues: dict[str, str]) -> None:
    driver = SQSQueueDriver({"default": queues["default"]}, endpoint_url=local_aws.endpoint_url)
    with pytest.raises(UnknownQueueError, match=r"'build-report'.*'reports'"):
        JobService(driver).enqueue(report, Notification(user_id="u", message="m"))


def test_enqueue_in_under_15_minutes_uses_delay_seconds(
    service: JobService, sqs: Any, queues: dict[str, str]
) -> None:
    service.enqueue_in(notify, Notification(user_id="u", message="later"), "2s")
    assert receive(sqs, queues["default"]) == [], "still delayed"
    [message] = receive(sqs, queues["default"], wait=4)
    assert json.loads(message["Body"])["payload"]["message"] == "later"


def test_enqueue_in_over_15_minutes_creates_one_off_schedule(
    service: JobService, local_aws: LocalAWS, queues: dict[str, str], sqs: Any
) -> None:
    before = datetime.now(UTC)
    result = service.enqueue_in(notify, Notification(user_id="u", message="reminder"), "3h")
    assert result.schedule_name and result.message_id is None
    assert len(result.schedule_name) <= 64
    schedule = local_aws.client("scheduler").get_schedule(Name=result.schedule_name)
    when = datetime.strptime(schedule["ScheduleExpression"], "at(%Y-%m-%dT%H:%M:%S)").replace(
        tzinfo=UTC
    )
    assert abs((when - before - timedelta(hours=3)).total_seconds()) < 5
    assert schedule["ScheduleExpressionTimezone"] == "UTC"
    assert schedule["ActionAfterCompletion"] == "DELETE"
    assert schedule["Target"]["Arn"] == "arn:aws:sqs:us-east-1:123456789012:jobs"
    assert schedule["Target"]["RoleArn"] == ROLE_ARN
    body = json.loads(schedule["Target"]["Input"])
    assert body["jobName"] == "send-notification" and body["jobId"] == result.job_id
    assert receive(sqs, queues["default"]) == []


def test_enqueue_at_a_past_time_sends_now(
    service: JobService, sqs: Any, queues: dict[str, str]
) -> None:
    result = service.enqueue_at(
        notify, Notification(user_id="u", message="m"), datetime.now(UTC) - timedelta(days=1)
    )
    assert result.message_id
    assert len(receive(sqs, queues["default"])) == 1


def test_enqueue_at_beyond_15_minutes_schedules_at_that_exact_time(
    service: JobService, local_aws: LocalAWS
) -> None:
    when = datetime(2099, 5, 17, 9, 30, tzinfo=UTC)
    result = service.enqueue_at(notify, Notification(user_id="u", message="m"), when)
    assert result.schedule_name is not None
    schedule = local_aws.client("scheduler").get_schedule(Name=result.schedule_name)
    assert schedule["ScheduleExpression"] == "at(2099-05-17T09:30:00)"


def test_cancel_schedule_deletes_it(service: JobService, local_aws: LocalAWS) -> None:
    result = service.enqueue_in(notify, Notification(user_id="u", message="m"), "1d")
    assert isinstance(service.driver, SQSQueueDriver) and result.schedule_name
    service.driver.cancel_schedule(result.schedule_name)
    scheduler = local_aws.client("scheduler")
    with pytest.raises(scheduler.exceptions.ResourceNotFoundException):
        scheduler.get_schedule(Name=result.schedule_name)


def test_long_delay_without_scheduler_is_a_clear_error(
    local_aws: LocalAWS, queues: dict[str, str]
) -> None:
    service = JobService(SQSQueueDriver(queues, endpoint_url=local_aws.endpoint_url))
    with pytest.raises(SchedulerNotConfiguredError, match="SchedulerConfig"):
        service.enqueue_in(notify, Notification(user_id="u", message="m"), "16m")


def test_bad_delays_are_rejected_before_sending(
    service: JobService, sqs: Any, queues: dict[str, str]
) -> None:
    with pytest.raises(InvalidDelayError):
        service.enqueue_in(notify, Notification(user_id="u", message="m"), "soon")
    with pytest.raises(InvalidDelayError, match="timezone-aware"):
        service.enqueue_at(notify, Notification(user_id="u", message="m"), datetime(2030, 1, 1))
    assert receive(sqs, queues["default"]) == []


def test_fifo_queue_gets_group_and_deduplication_ids(
    service: JobService, sqs: Any, queues: dict[str, str]
) -> None:
    first = service.enqueue(unique_notify, Notification(user_id="u1", message="a"))
    again = service.enqueue(unique_notify, Notification(user_id="u1", message="b"))
    other = service.enqueue(unique_notify, Notification(user_id="u2", message="c"))
    assert first.message_id and again.message_id and other.message_id
    messages = receive(sqs, queues["ordered"])
    assert sorted(json.loads(m["Body"])["payload"]["message"] for m in messages) == ["a", "c"]
    groups = {m["Attributes"]["MessageGroupId"] for m in messages}
    assert groups == {"u1", "u2"}
    dedup = {m["Attributes"]["MessageDeduplicationId"] for m in messages}
    assert dedup == {"notify-u1", "notify-u2"}


def test_fifo_without_unique_deduplicates_by_job_id_only(
    service: JobService, sqs: Any, queues: dict[str, str]
) -> None:
    plain = define_job("plain-fifo", handle, schema=Notification, queue="ordered")
    service.enqueue(plain, Notification(user_id="u", message="a"))
    service.enqueue(plain, Notification(user_id="u", message="a"))
    messages = receive(sqs, queues["ordered"])
    assert len(messages) == 2
    assert {m["Attributes"]["MessageGroupId"] for m in messages} == {"ordered"}


def test_fifo_delay_goes_through_the_scheduler_with_the_group(
    service: JobService, local_aws: LocalAWS, sqs: Any, queues: dict[str, str]
) -> None:
    result = service.enqueue_in(unique_notify, Notification(user_id="u7", message="a"), "30s")
    assert result.schedule_name
    schedule = local_aws.client("scheduler").get_schedule(Name=result.schedule_name)
    assert schedule["Target"]["SqsParameters"] == {"MessageGroupId": "u7"}
    assert schedule["Target"]["Arn"].endswith(":ordered.fifo")
    assert receive(sqs, queues["ordered"]) == []


def test_fifo_delay_without_scheduler_is_refused_not_ignored(
    local_aws: LocalAWS, queues: dict[str, str], sqs: Any
) -> None:
    service = JobService(SQSQueueDriver(queues, endpoint_url=local_aws.endpoint_url))
    with pytest.raises(SchedulerNotConfiguredError, match="FIFO"):
        service.enqueue_in(unique_notify, Notification(user_id="u", message="a"), "30s")
    assert receive(sqs, queues["ordered"]) == []


def test_enqueue_batch_sends_in_batches_of_ten_and_returns_every_result(
    service: JobService, sqs: Any, queues: dict[str, str]
) -> None:
    items: list[tuple[JobDefinition[Any], Any]] = [
        (notify, Notification(user_id=str(i), message="m")) for i in range(23)
    ]
    items.append((report, Notification(user_id="r", message="m")))
    results = service.enqueue_batch(items)
    assert len(results) == 24 and all(result.ok for result in results)
    assert len({result.job_id for result in results}) == 24
    seen: set[str] = set()
    while batch := receive(sqs, queues["default"]):
        seen |= {json.loads(m["Body"])["payload"]["user_id"] for m in batch}
        sqs.delete_message_batch(
            QueueUrl=queues["default"],
            Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)
            ],
        )
    assert seen == {str(i) for i in range(23)}
    assert len(receive(sqs, queues["reports"])) == 1


def test_enqueue_batch_reports_failures_without_hiding_the_others(
    local_aws: LocalAWS, queues: dict[str, str], sqs: Any
) -> None:
    driver = SQSQueueDriver({"default": queues["default"]}, endpoint_url=local_aws.endpoint_url)
    results = JobService(driver).enqueue_batch(
        [
            (notify, Notification(user_id="ok-1", message="m")),
            (notify, {"user_id": "missing message"}),
            (report, Notification(user_id="no queue", message="m")),
            (notify, Notification(user_id="ok-2", message="m")),
        ]
    )
    assert [result.ok for result in results] == [True, False, False, True]
    assert isinstance(results[1].error, InvalidJobPayloadError)
    assert isinstance(results[2].error, UnknownQueueError)
    payloads = {
        json.loads(m["Body"])["payload"]["user_id"] for m in receive(sqs, queues["default"])
    }
    assert payloads == {"ok-1", "ok-2"}


def test_enqueue_batch_keeps_each_request_under_one_mib(
    service: JobService, sqs: Any, queues: dict[str, str]
) -> None:
    big = "x" * 400_000
    results = service.enqueue_batch(
        [(notify, Notification(user_id=str(i), message=big)) for i in range(5)]
    )
    assert all(result.ok for result in results), [result.error for result in results]


def test_enqueue_batch_reports_a_request_level_failure_for_its_entries_only(
    local_aws: LocalAWS, queues: dict[str, str]
) -> None:
    missing = queues["default"].rsplit("/", 1)[0] + "/does-not-exist"
    driver = SQSQueueDriver(
        {"default": queues["default"], "reports": missing}, endpoint_url=local_aws.endpoint_url
    )
    results = JobService(driver).enqueue_batch(
        [
            (notify, Notification(user_id="a", message="m")),
            (report, Notification(user_id="b", message="m")),
        ]
    )
    assert results[0].ok
    assert not results[1].ok and results[1].error is not None


def test_on_enqueued_hook_sees_each_result_and_its_errors_are_only_logged(
    local_aws: LocalAWS, queues: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[tuple[str, EnqueueResult]] = []

    def on_enqueued(job: JobDefinition[Any], result: EnqueueResult) -> None:
        seen.append((job.name, result))
        raise RuntimeError("metrics backend down")

    driver = SQSQueueDriver(queues, endpoint_url=local_aws.endpoint_url)
    service = JobService(driver, on_enqueued=on_enqueued)
    with caplog.at_level(logging.ERROR):
        result = service.enqueue(notify, Notification(user_id="u", message="m"))
        service.enqueue_batch([(notify, Notification(user_id="v", message="m"))])
    assert seen[0] == ("send-notification", result)
    assert len(seen) == 2
    assert "on_enqueued hook failed" in caplog.text


def test_enqueue_batch_takes_typed_batch_items_of_different_jobs(
    service: JobService, sqs: Any, queues: dict[str, str]
) -> None:
    results = service.enqueue_batch(
        [
            notify.batch_item(Notification(user_id="n", message="m")),
            report.batch_item(Notification(user_id="r", message="m")),
            notify.batch_item({"user_id": "missing message"}),  # type: ignore[arg-type]
        ]
    )
    assert [result.ok for result in results] == [True, True, False]
    assert isinstance(results[2].error, InvalidJobPayloadError)
    assert [json.loads(m["Body"])["jobName"] for m in receive(sqs, queues["default"])] == [
        notify.name
    ]
    assert len(receive(sqs, queues["reports"])) == 1
