"""Specification of the CloudFormation schedule resources generated from periodic jobs."""

from __future__ import annotations

import json

from glasswork import define_job, define_module, define_periodic_job
from glasswork.jobs.message import JobMessage
from glasswork.schedules import logical_id_for, periodic_jobs, schedule_resources

digest = define_periodic_job(
    "daily-digest", lambda payload, ctx: None, schedule="cron(0 8 * * ? *)"
)
cleanup = define_periodic_job(
    "purge.old_sessions",
    lambda payload, ctx: None,
    schedule="rate(1 hour)",
    timezone="Europe/Paris",
)
plain = define_job("plain", lambda payload, ctx: None)


def test_only_periodic_jobs_of_every_imported_module_become_schedules() -> None:
    inner = define_module("inner", jobs=[cleanup, plain])
    root = define_module("root", imports=[inner], jobs=[digest])
    assert [job.name for job in periodic_jobs(root)] == ["purge.old_sessions", "daily-digest"]
    assert set(schedule_resources(root)) == {"PurgeOldSessionsSchedule", "DailyDigestSchedule"}
    assert logical_id_for(digest) == "DailyDigestSchedule"


def test_schedule_targets_the_job_queue_with_a_job_message() -> None:
    root = define_module("root", jobs=[cleanup])
    resource = schedule_resources(root)["PurgeOldSessionsSchedule"]
    properties = resource["Properties"]
    assert resource["Type"] == "AWS::Scheduler::Schedule"
    assert properties["ScheduleExpression"] == "rate(1 hour)"
    assert properties["ScheduleExpressionTimezone"] == "Europe/Paris"
    assert properties["Target"]["Arn"] == {"Fn::GetAtt": ["JobsQueue", "Arn"]}
    assert properties["Target"]["RoleArn"] == {"Fn::GetAtt": ["SchedulerRole", "Arn"]}
    body = json.loads(properties["Target"]["Input"])
    filled = (
        json.dumps(body)
        .replace("<aws.scheduler.scheduled-time>", "2026-11-30T08:00:00Z")
        .replace("<aws.scheduler.execution-id>", "5a1c0b9e-exec")
    )
    message = JobMessage.from_json(filled)
    assert (message.job_name, message.payload, message.job_id) == (
        "purge.old_sessions",
        {},
        "5a1c0b9e-exec",
    )
