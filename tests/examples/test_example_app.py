"""The example app: its generated package is fresh, its template is valid and matches the code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cfnlint.api import lint_file
from cfnlint.decode import decode

from examples.app.app_module import AppModule
from glasswork.schedules import schedule_resources
from glasswork_email.cli import main as glasswork_email

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "examples" / "app" / "template.yaml"


def test_generated_email_package_is_up_to_date_with_the_templates() -> None:
    status = glasswork_email(
        ["compile", str(ROOT / "templates"), "--out", str(ROOT / "examples/app/emails"), "--check"]
    )
    assert status == 0, "run: glasswork-email compile templates --out examples/app/emails"


def test_deployment_template_passes_cfn_lint() -> None:
    problems = lint_file(TEMPLATE)
    assert [str(problem) for problem in problems] == []


def _template() -> dict[str, Any]:
    template, errors = decode(str(TEMPLATE))
    assert not errors and template is not None
    return dict(template)


def test_template_schedules_match_the_periodic_jobs_in_code() -> None:
    resources = _template()["Resources"]
    in_template = {
        name: resource
        for name, resource in resources.items()
        if resource["Type"] == "AWS::Scheduler::Schedule"
    }
    assert in_template == schedule_resources(AppModule)


def test_queue_settings_fit_the_worker_and_the_jobs() -> None:
    resources = _template()["Resources"]
    queue = resources["JobsQueue"]["Properties"]
    function_timeout = _template()["Globals"]["Function"]["Timeout"]
    assert queue["VisibilityTimeout"] >= 6 * function_timeout
    max_attempts = max(job.retry.max_attempts for job, _module in _jobs())
    assert queue["RedrivePolicy"]["maxReceiveCount"] > max_attempts
    events = resources["WorkerFunction"]["Properties"]["Events"]["Jobs"]["Properties"]
    assert events["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    table = resources["IdempotencyTable"]["Properties"]
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]


def _jobs() -> list[tuple[Any, Any]]:
    from glasswork import Container

    return list(Container(AppModule).jobs)
