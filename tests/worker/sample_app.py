"""A small application for the poller and CLI tests, importable as
``tests.worker.sample_app`` from the repository root."""

from __future__ import annotations

import time
from pathlib import Path

from pydantic import BaseModel

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import define_job
from glasswork.modules import define_module


class Work(BaseModel):
    """Where to report progress, and how long to work."""

    marker: str
    seconds: float = 0.0


def do_work(payload: Work, ctx: JobContext) -> None:
    """Write ``started``, work for ``seconds``, then write ``finished``."""
    marker = Path(payload.marker)
    marker.write_text("started")
    time.sleep(payload.seconds)
    marker.write_text("finished")


work = define_job("work", do_work, schema=Work, queue="jobs")

AppModule = define_module("sample", jobs=[work])
