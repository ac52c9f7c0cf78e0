"""Fixtures of the worker tests: queues with a redrive policy on the local AWS server."""

from __future__ import annotations

from typing import Any

import pytest
from worker_support import Queues, make_queues


@pytest.fixture
def queues(sqs: Any) -> Queues:
    """A standard queue ``jobs`` whose redrive policy targets ``jobs-dlq``."""
    return make_queues(sqs, "jobs")


@pytest.fixture
def fifo_queues(sqs: Any) -> Queues:
    """A FIFO queue ``jobs.fifo`` whose redrive policy targets ``jobs-dlq.fifo``."""
    return make_queues(sqs, "jobs", fifo=True)


@pytest.fixture
def queues_without_dead_letter_queue(sqs: Any) -> Queues:
    """A standard queue ``bare`` with no redrive policy."""
    return make_queues(sqs, "bare", redrive=False)
