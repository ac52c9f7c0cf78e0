"""Specification of Config: typed settings read from the environment."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings

from glasswork import Config
from glasswork.config import ConfigError, ConfigKeyError


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


class ShopSettings(BaseModel):
    """Settings of a plain pydantic model, for ``Config.from_environment``."""

    job_queue_url: str
    crm_outages: int = 0
    sandbox: bool = False
    sender_email: str = Field(default="hello@example.com", alias="mail_from")
    suppression_table: str | None = None


def test_from_environment_reads_upper_case_field_names_and_parses_their_text() -> None:
    config = Config.from_environment(
        ShopSettings,
        environ={"JOB_QUEUE_URL": "https://q", "CRM_OUTAGES": "2", "SANDBOX": "true"},
    )
    assert config.settings == ShopSettings(job_queue_url="https://q", crm_outages=2, sandbox=True)
    assert config.get("sender_email") == "hello@example.com"  # not set: the default
    assert config.settings.suppression_table is None


def test_from_environment_reads_aliases_and_a_prefix_and_os_environ_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SHOP_JOB_QUEUE_URL", "https://q")
    monkeypatch.setenv("SHOP_MAIL_FROM", "shop@example.com")
    monkeypatch.setenv("JOB_QUEUE_URL", "not this one")
    settings = Config.from_environment(ShopSettings, prefix="shop_").settings
    assert (settings.job_queue_url, settings.sender_email) == ("https://q", "shop@example.com")


def test_from_environment_names_each_missing_or_invalid_variable() -> None:
    with pytest.raises(ConfigError) as raised:
        Config.from_environment(ShopSettings, environ={"CRM_OUTAGES": "two", "SANDBOX": "1"})
    assert str(raised.value) == (
        "the environment holds no valid ShopSettings: JOB_QUEUE_URL: not set; CRM_OUTAGES: "
        "Input should be a valid integer, unable to parse string as an integer (got 'two')"
    )


def test_from_environment_does_not_import_pydantic_settings() -> None:
    # What it is for: a worker's cold start without pydantic-settings' import.
    script = (
        "import sys\n"
        "from pydantic import BaseModel\n"
        "from glasswork import Config\n"
        "class Settings(BaseModel):\n"
        "    region: str = 'eu-west-1'\n"
        "print(Config.from_environment(Settings, environ={'REGION': 'us-east-1'}).get('region'))\n"
        "print('pydantic_settings' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["us-east-1", "False"]
