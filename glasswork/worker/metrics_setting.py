"""Whether the environment turns the worker's metrics on, read without the metrics module.

Metrics are off by default and then cost nothing, not even the import of ``metrics.py``:
``bootstrap_worker`` asks ``metrics_wanted()`` and imports the module only when they are on.
"""

from __future__ import annotations

import os

__all__ = ["METRICS_ENVIRONMENT_VARIABLE", "metrics_wanted"]

METRICS_ENVIRONMENT_VARIABLE = "GLASSWORK_METRICS"
"""Set to ``1`` (or ``true``) to turn metrics on without changing code."""


def metrics_wanted() -> bool:
    """Whether ``GLASSWORK_METRICS`` asks for metrics (``1``, ``true`` or ``yes``)."""
    return os.environ.get(METRICS_ENVIRONMENT_VARIABLE, "").lower() in ("1", "true", "yes")
