"""An app whose JobService driver maps the logical queue ``default`` to ``$SAMPLE_QUEUE_URL``,
importable as ``tests.cli.sample_app`` from the repository root."""

from __future__ import annotations

import gc
import os
from pathlib import Path

from pydantic import BaseModel

from glasswork import JobService, Provider, SQSQueueDriver, define_job, define_module
from glasswork.jobs.context import JobContext


class Mark(BaseModel):
    """Where to write ``done``."""

    marker: str


def mark(payload: Mark, ctx: JobContext) -> None:
    """Write ``done`` and how many objects the garbage collector has frozen to the marker."""
    Path(payload.marker).write_text(f"done {gc.get_freeze_count()}")


def make_job_service() -> JobService:
    """The app's job service: its only queue comes from the environment."""
    return JobService(SQSQueueDriver({"default": os.environ["SAMPLE_QUEUE_URL"]}))


mark_job = define_job("mark", mark, schema=Mark)
AppModule = define_module(
    "sample",
    jobs=[mark_job],
    providers=[Provider(provide="job_service", use_factory=make_job_service)],
)
