"""Specification of ``glasswork_email.compiler.workers``: templates compiled in worker processes,
the catalogs built alongside them as one more item of the shared work."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from glasswork_email.compiler.config import CompileConfig
from glasswork_email.compiler.parallel import can_fork
from glasswork_email.compiler.workers import PARALLEL_MINIMUM_TEMPLATES, compile_templates
from tests.email.compiler.conftest import write_templates
from tests.email.i18n.conftest import GREETING, POLISH, POLISH_PLURALS, Project


def _templates(folder: Path, count: int) -> dict[str, Path]:
    write_templates(
        folder, {f"email_{i}.html": f"<title>Hi {{{{ name_{i} }}}}</title>" for i in range(count)}
    )
    return {f"email_{i}": folder / f"email_{i}.html" for i in range(count)}


@pytest.mark.skipif(not can_fork(), reason="needs os.fork")
def test_the_work_alongside_runs_while_the_templates_compile(tmp_path: Path) -> None:
    pending = _templates(tmp_path, PARALLEL_MINIMUM_TEMPLATES * 2)
    staging = tmp_path / "staging"
    staging.mkdir()

    def wait_for_a_compiled_template() -> bool:
        deadline = time.monotonic() + 30
        while not (staging / "_jinja").is_dir() and time.monotonic() < deadline:
            time.sleep(0.01)
        return (staging / "_jinja").is_dir()

    outcomes, saw_templates_compile = compile_templates(
        tmp_path, staging, pending, CompileConfig(), wait_for_a_compiled_template
    )
    assert saw_templates_compile
    assert sorted(outcome.name for outcome in outcomes) == sorted(pending)
    assert not [outcome.errors for outcome in outcomes if outcome.errors]


def test_with_a_few_templates_everything_runs_in_the_calling_process(tmp_path: Path) -> None:
    pending = _templates(tmp_path, 2)
    outcomes, pid = compile_templates(tmp_path, None, pending, CompileConfig(), os.getpid)
    assert pid == os.getpid()
    assert [outcome.name for outcome in outcomes] == ["email_0", "email_1"]


def _localised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int) -> Project:
    (tmp_path / "generated").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path / "generated"))
    project = Project(tmp_path, monkeypatch)
    project.configure('missing_translation = "fail"')
    project.write({f"greeting_{i}.html": GREETING for i in range(count)})
    return project


@pytest.mark.parametrize("count", [2, PARALLEL_MINIMUM_TEMPLATES + 2])
def test_catalog_errors_come_back_from_their_process_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    project = _localised(tmp_path, monkeypatch, count)
    po = project.translate("pl", POLISH)  # no plural forms: an error with "fail"
    report = project.compile()
    assert [error.message for error in report.errors] == [
        "message 'You have one item.' is not translated to pl (missing_translation = 'fail')"
    ]
    assert not project.out.exists()
    po.unlink()
    project.translate("pl", POLISH, POLISH_PLURALS)
    report = project.compile()
    assert not report.errors, report.errors
    assert len(report.compiled) == count
    assert (project.out / "_locales" / "pl.mo").is_file()
    emails = project.load()
    rendered = emails.templates.greeting_1.render({"name": "Ola", "items": 5}, locale="pl")
    assert "Masz 5 produktów." in rendered.text
