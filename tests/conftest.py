"""Fixtures shared by the whole suite: one local AWS server per session, reset per test."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from glasswork.testing import LocalAWS


def pytest_sessionstart(session: pytest.Session) -> None:
    """In CI, refuse to run without the browser rather than skip its tests in silence."""
    if os.environ.get("CI") and not (shutil.which("chromium") and shutil.which("chromedriver")):
        raise pytest.UsageError(
            "CI needs Debian's chromium and chromium-driver for the browser tests; "
            "scripts/setup.sh installs them when run as root"
        )


@pytest.fixture(scope="session")
def local_aws_server() -> Iterator[LocalAWS]:
    """moto's server on loopback, started once for the test session."""
    with LocalAWS() as server:
        yield server


@pytest.fixture
def local_aws(local_aws_server: LocalAWS) -> Iterator[LocalAWS]:
    """The local AWS server, emptied before each test."""
    local_aws_server.reset()
    yield local_aws_server


@pytest.fixture
def sqs(local_aws: LocalAWS) -> Any:
    """A boto3 SQS client on the local server."""
    return local_aws.client("sqs")


@pytest.fixture
def clients_made() -> Iterator[Counter[str]]:
    """Counts the boto3 clients made from the default session, by service (``"dynamodb"``):
    botocore's own ``creating-client-class`` event, nothing patched."""
    import boto3

    made: Counter[str] = Counter()

    def count(class_attributes: Any, base_classes: Any, **kwargs: Any) -> None:
        made[kwargs["event_name"].rsplit(".", 1)[-1]] += 1

    events = boto3._get_default_session().events
    events.register("creating-client-class", count, unique_id="tests-clients-made")
    yield made
    events.unregister("creating-client-class", unique_id="tests-clients-made")
