"""Worker metrics as CloudWatch Embedded Metric Format (EMF) lines: no API call from the worker.

Off by default (``bootstrap_worker(metrics=True)`` or ``GLASSWORK_METRICS=1`` turns them on);
when off the route makes one ``is None`` check per record. When on, each record adds to per-job
figures, and at the end of every batch one EMF line per job name is written to standard output,
which Lambda sends to CloudWatch Logs, where CloudWatch extracts the metrics:

- ``Succeeded``, ``Ignored``, ``RetryScheduled``, ``DeadLettered``, ``Discarded``, ``Failed``,
  ``Skipped``: counts of records by outcome (``Count``);
- ``HandlerDuration``: time in the handler per record (``Milliseconds``);
- ``QueueLatency``: from ``enqueuedAt`` to the handler's start (``Milliseconds``).

Every metric has the dimension ``JobName`` (``"unknown"`` for a poison message naming none).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from glasswork.jobs.message import JobMessage
from glasswork.worker.metrics_setting import METRICS_ENVIRONMENT_VARIABLE
from glasswork.worker.outcome import Outcome, RecordResult, milliseconds

__all__ = [
    "DEFAULT_METRICS_NAMESPACE",
    "METRICS_ENVIRONMENT_VARIABLE",
    "OUTCOME_METRIC_NAMES",
    "Metrics",
]

DEFAULT_METRICS_NAMESPACE = "Glasswork"
"""The CloudWatch namespace of the worker's metrics, unless told otherwise."""

OUTCOME_METRIC_NAMES = {
    Outcome.SUCCEEDED: "Succeeded",
    Outcome.IGNORED: "Ignored",
    Outcome.RETRY_SCHEDULED: "RetryScheduled",
    Outcome.DEAD_LETTERED: "DeadLettered",
    Outcome.DISCARDED: "Discarded",
    Outcome.FAILED: "Failed",
    Outcome.SKIPPED: "Skipped",
}
"""The count metric of each outcome."""

_EMF_MAX_VALUES = 100
"""EMF takes at most 100 values of one metric per line."""

UNKNOWN_JOB_DIMENSION = "unknown"


@dataclass(slots=True)
class _JobFigures:
    counts: dict[str, int] = field(default_factory=dict)
    durations_ms: list[float] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)


class Metrics:
    """Collects per-record figures and writes them as EMF lines (one per job, per batch).

    Parameters:
        namespace: the CloudWatch namespace (default ``"Glasswork"``).
        write: where a line goes (default: standard output, one ``write`` call per line).
        clock: seconds since the epoch (default ``time.time``), for latency and timestamps.
    """

    def __init__(
        self,
        namespace: str = DEFAULT_METRICS_NAMESPACE,
        *,
        write: Callable[[str], object] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.namespace = namespace
        self._write = write or _stdout
        self._clock = clock
        self._lock = threading.Lock()
        self._jobs: dict[str, _JobFigures] = {}

    def record(self, result: RecordResult, message: JobMessage | None) -> None:
        """Add one record's outcome, handler time and queue latency."""
        name = result.job_name or UNKNOWN_JOB_DIMENSION
        metric = OUTCOME_METRIC_NAMES[result.outcome]
        latency_ms = None
        if message is not None and result.outcome is not Outcome.SKIPPED:
            started = self._clock() - result.duration_seconds
            latency_ms = max(0.0, (started - message.enqueued_at.timestamp()) * 1000)
        with self._lock:
            figures = self._jobs.get(name)
            if figures is None:
                figures = self._jobs[name] = _JobFigures()
            figures.counts[metric] = figures.counts.get(metric, 0) + 1
            if result.outcome is not Outcome.SKIPPED and message is not None:
                figures.durations_ms.append(milliseconds(result.duration_seconds))
            if latency_ms is not None:
                figures.latencies_ms.append(round(latency_ms, 3))
            full = len(figures.durations_ms) >= _EMF_MAX_VALUES
        if full:
            self.flush()

    def flush(self) -> None:
        """Write one EMF line per job with figures, and start afresh."""
        with self._lock:
            jobs, self._jobs = self._jobs, {}
        timestamp = int(self._clock() * 1000)
        for name, figures in sorted(jobs.items()):
            self._write(json.dumps(self._document(name, figures, timestamp)) + "\n")

    def _document(self, name: str, figures: _JobFigures, timestamp: int) -> dict[str, object]:
        definitions: list[dict[str, str]] = [
            {"Name": metric, "Unit": "Count"} for metric in figures.counts
        ]
        values: dict[str, object] = dict(figures.counts)
        if figures.durations_ms:
            definitions.append({"Name": "HandlerDuration", "Unit": "Milliseconds"})
            values["HandlerDuration"] = figures.durations_ms
        if figures.latencies_ms:
            definitions.append({"Name": "QueueLatency", "Unit": "Milliseconds"})
            values["QueueLatency"] = figures.latencies_ms
        return {
            "_aws": {
                "Timestamp": timestamp,
                "CloudWatchMetrics": [
                    {
                        "Namespace": self.namespace,
                        "Dimensions": [["JobName"]],
                        "Metrics": definitions,
                    }
                ],
            },
            "JobName": name,
            **values,
        }


def _stdout(line: str) -> None:
    sys.stdout.write(line)
    sys.stdout.flush()
