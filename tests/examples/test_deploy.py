"""Deployment: ``sam validate --lint`` passes, and ``sam build`` makes a package that holds the
app, its generated email package and the runtime dependencies only, whose handler imports and
runs an SQS event against the local AWS in a fresh interpreter with nothing else on its path.

AWS SAM CLI lives in its own virtual environment (``.venv-sam``, made by ``scripts/setup.sh``),
so its pins never fight the project's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from examples.app.emails import (
    WelcomeContext,
    WelcomeEmail,
    WelcomeGettingStartedItem,
    WelcomeUser,
    send_email,
)
from glasswork.testing import LocalAWS
from glasswork.testing.events import job_message, make_sqs_record

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "examples" / "app" / "template.yaml"
SAM = ROOT / ".venv-sam" / "bin" / "sam"


def _sam(*arguments: str, **environment: str) -> subprocess.CompletedProcess[str]:
    if not SAM.exists():
        pytest.fail(f"{SAM} is missing: run `bash scripts/setup.sh`, which installs AWS SAM CLI")
    env = {
        **os.environ,
        "SAM_CLI_TELEMETRY": "0",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        **environment,
    }
    return subprocess.run(
        [str(SAM), *arguments], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    build_dir = tmp_path_factory.mktemp("sam-build")
    done = _sam(
        "build",
        "--template-file",
        str(TEMPLATE),
        "--build-dir",
        str(build_dir),
        "--build-in-source",
        # Wheels for this machine's interpreter, so the package runs here.
        PYTHON=sys.executable,
        LAMBDA_PLATFORM="host",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return build_dir / "WorkerFunction"


def test_sam_validate_lint_passes() -> None:
    done = _sam("validate", "--lint", "--template-file", str(TEMPLATE))
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_package_holds_the_app_and_runtime_dependencies_only(built: Path) -> None:
    top = {path.name for path in built.iterdir()}
    assert {"glasswork", "glasswork_email", "examples", "pydantic", "jinja2", "boto3"} <= top
    assert (built / "examples/app/worker.py").exists()
    assert (built / "examples/app/emails/welcome.py").exists()
    for absent in ("mjml", "moto", "pytest", "mypy", "ruff", "cfnlint", "babel", "samcli"):
        assert not any(name.lower().startswith(absent) for name in top), absent
    for left_out in (
        "glasswork/cli",
        "glasswork/testing",
        "glasswork/mypy_plugin",
        "glasswork_email/compiler",
        "glasswork_email/cli.py",
        "examples/app/template.yaml",
        "examples/demo.py",
    ):
        assert not (built / left_out).exists(), left_out


def test_the_deploy_requirements_are_the_projects_runtime_dependencies() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = (ROOT / "examples/app/deploy/requirements.txt").read_text().splitlines()
    listed = [line.strip() for line in requirements if line.strip() and not line.startswith("#")]
    assert sorted(listed) == sorted(project["dependencies"])


RUN_ONE_EVENT = """
import json, sys
event = json.loads(sys.stdin.read())
from examples.app.worker import handler
print(json.dumps(handler(event, None)))
leaked = sorted(m for m in sys.modules if m.split(".")[0] in ("mjml", "moto", "pytest"))
print(json.dumps({"path": sys.path, "leaked": leaked}))
"""


def test_the_built_handler_runs_an_sqs_event_in_a_fresh_interpreter(
    built: Path, local_aws: LocalAWS, sqs: Any
) -> None:
    queue_url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    local_aws.client("sesv2").create_email_identity(EmailIdentity="example.com")
    email = WelcomeEmail(
        to="ada@example.org",
        context=WelcomeContext(
            user=WelcomeUser(first_name="Ada"),
            product_name="Shop",
            dashboard_url="https://shop.example/account",
            getting_started=[WelcomeGettingStartedItem(title="Add a card", url="https://s.ex/c")],
        ),
    )
    record = make_sqs_record(job_message(send_email, email))
    environment = {
        "AWS_ENDPOINT_URL": local_aws.endpoint_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "JOB_QUEUE_URL": queue_url,
        "PATH": os.environ.get("PATH", ""),
    }

    done = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            "-c",
            f"import sys; sys.path.insert(0, {str(built)!r})\n" + RUN_ONE_EVENT,
        ],
        input=json.dumps({"Records": [record]}),
        cwd=built,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    response_line, facts_line = done.stdout.strip().splitlines()[-2:]
    assert json.loads(response_line) == {"batchItemFailures": []}
    facts = json.loads(facts_line)
    assert facts["leaked"] == []
    assert not [p for p in facts["path"] if "site-packages" in p]
    (sent,) = local_aws.data()["ses"]["RawMessage"]
    assert "ada@example.org" in sent["raw_data"]
