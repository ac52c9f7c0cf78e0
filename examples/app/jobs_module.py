"""The job service every module that enqueues jobs imports."""

from __future__ import annotations

from examples.app.settings import AppSettings, config_module
from glasswork import Config, JobService, Provider, SchedulerConfig, SQSQueueDriver, define_module


def make_job_service(config: Config[AppSettings]) -> JobService:
    """A ``JobService`` on the app's SQS queue, with EventBridge Scheduler for long delays."""
    settings = config.settings
    scheduler = (
        SchedulerConfig(role_arn=settings.scheduler_role_arn)
        if settings.scheduler_role_arn
        else None
    )
    driver = SQSQueueDriver(
        {"default": settings.job_queue_url}, region=settings.aws_region, scheduler=scheduler
    )
    return JobService(driver)


jobs_module = define_module(
    "jobs",
    imports=[config_module],
    providers=[Provider(provide="job_service", use_factory=make_job_service)],
    exports=["job_service"],
)
