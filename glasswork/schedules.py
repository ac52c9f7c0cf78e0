"""CloudFormation resources for the periodic jobs defined in code, so template and code agree.

``glasswork schedules APP`` prints them; a test compares them with the deployment template.
Each periodic job becomes an ``AWS::Scheduler::Schedule`` that puts a job message on the job
queue, so periodic runs get the same retries, backoff and dead-lettering as every other job.
The message's ``jobId`` and ``enqueuedAt`` are filled in by EventBridge Scheduler for each run
(``<aws.scheduler.execution-id>``, ``<aws.scheduler.scheduled-time>``).
"""

from __future__ import annotations

import json
from typing import Any

from glasswork.jobs.definition import PeriodicJobDefinition
from glasswork.modules import Module, iter_modules

__all__ = ["logical_id_for", "periodic_jobs", "schedule_resources"]


def periodic_jobs(root: Module) -> list[PeriodicJobDefinition[Any]]:
    """Every periodic job of ``root`` and the modules it imports, in module order."""
    return [
        job
        for module in iter_modules(root)
        for job in module.jobs
        if isinstance(job, PeriodicJobDefinition)
    ]


def logical_id_for(job: PeriodicJobDefinition[Any]) -> str:
    """A schedule's CloudFormation logical id: ``daily-digest`` → ``DailyDigestSchedule``."""
    words = "".join(c if c.isalnum() else " " for c in job.name).split()
    return "".join(word[:1].upper() + word[1:] for word in words) + "Schedule"


def schedule_resources(
    root: Module,
    *,
    queue_arn: Any = None,
    role_arn: Any = None,
) -> dict[str, Any]:
    """``Resources`` entries (logical id → resource) for every periodic job of ``root``.

    Parameters:
        root: the application's root module.
        queue_arn: the target queue's ARN, default ``{"Fn::GetAtt": ["JobsQueue", "Arn"]}``.
        role_arn: the role Scheduler assumes, default ``{"Fn::GetAtt": ["SchedulerRole", "Arn"]}``.
    """
    queue_arn = queue_arn or {"Fn::GetAtt": ["JobsQueue", "Arn"]}
    role_arn = role_arn or {"Fn::GetAtt": ["SchedulerRole", "Arn"]}
    resources: dict[str, Any] = {}
    for job in periodic_jobs(root):
        body = {
            "jobName": job.name,
            "payload": {},
            "jobId": "<aws.scheduler.execution-id>",
            "enqueuedAt": "<aws.scheduler.scheduled-time>",
            "metadata": {"schedule": job.name},
        }
        resources[logical_id_for(job)] = {
            "Type": "AWS::Scheduler::Schedule",
            "Properties": {
                "Name": job.name,
                "Description": f"Glasswork periodic job {job.name}",
                "ScheduleExpression": job.schedule,
                "ScheduleExpressionTimezone": job.timezone,
                "FlexibleTimeWindow": {"Mode": "OFF"},
                "State": "ENABLED",
                "Target": {
                    "Arn": queue_arn,
                    "RoleArn": role_arn,
                    "Input": json.dumps(body, separators=(",", ":")),
                },
            },
        }
    return resources
