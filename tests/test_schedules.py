"""Specification of the CloudFormation schedule resources generated from periodic jobs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glasswork import define_job, define_module, define_periodic_job
from glasswork.cli import main
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


def test_cli_prints_the_resources_of_an_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "shop_app.py").write_text(
        "from glasswork import define_module, define_periodic_job\n"
        "digest = define_periodic_job('nightly', lambda p, c: None, schedule='rate(1 day)')\n"
        "AppModule = define_module('app', jobs=[digest])\n"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["schedules", "shop_app", "--queue-resource", "Queue"]) == 0
    printed = json.loads(capsys.readouterr().out)["Resources"]
    assert list(printed) == ["NightlySchedule"]
    target = printed["NightlySchedule"]["Properties"]["Target"]
    assert target["Arn"] == {"Fn::GetAtt": ["Queue", "Arn"]}
    assert printed["NightlySchedule"]["Properties"]["ScheduleExpression"] == "rate(1 day)"
