"""The worker Lambda's entry point: ``examples.app.worker.handler``."""

from __future__ import annotations

from examples.app.app_module import AppModule
from glasswork import bootstrap_worker

handler = bootstrap_worker(AppModule)
