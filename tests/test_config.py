"""Specification of Config: typed settings read from the environment."""

from __future__ import annotations

import pytest
from pydantic_settings import BaseSettings

from glasswork import Config
from glasswork.config import ConfigKeyError


class AppSettings(BaseSettings):
    aws_region: str = "eu-west-1"
    job_queue_url: str


def test_settings_come_from_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOB_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/1/jobs")
    config = Config(AppSettings)
    assert config.get("job_queue_url") == "https://sqs.eu-west-1.amazonaws.com/1/jobs"
    assert config.get("aws_region") == "eu-west-1"
    assert config.settings.aws_region == "eu-west-1"


def test_unknown_keys_name_the_declared_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOB_QUEUE_URL", "x")
    with pytest.raises(ConfigKeyError, match="aws_region, job_queue_url"):
        Config(AppSettings).get("queue_url")
