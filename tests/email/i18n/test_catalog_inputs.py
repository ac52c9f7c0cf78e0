"""An unchanged compile reuses the package's catalogs: no extraction, no Babel; changes still show.

``glasswork_email.i18n.catalog_inputs`` records a digest of every input of the catalog build
(templates, ``.po`` files, settings); these tests count the real extractor's calls.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from glasswork_email.i18n import catalog_build
from tests.email.i18n.conftest import GREETING, POLISH, POLISH_PLURALS, Project


@pytest.fixture
def extractions(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The templates folders messages were extracted from (the real extractor still runs)."""
    calls: list[Path] = []
    real = catalog_build.extract_messages

    def counting(templates: Path) -> object:
        calls.append(templates)
        return real(templates)

    monkeypatch.setattr(catalog_build, "extract_messages", counting)
    return calls


def _compiled(project: Project) -> Project:
    project.write({"greeting.html": GREETING})
    project.translate("pl", POLISH, POLISH_PLURALS)
    report = project.compile()
    assert not report.errors, report.errors
    return project


def test_an_unchanged_compile_and_check_do_no_extraction(
    project: Project, extractions: list[Path]
) -> None:
    _compiled(project)
    assert len(extractions) == 1  # the first compile builds the catalogs
    report = project.compile()
    assert not report.errors and not report.written and not report.compiled
    check = project.check()
    assert not check.stale and not check.errors, (check.stale, check.errors)
    assert len(extractions) == 1


def test_a_new_sample_context_is_not_an_input_of_the_catalogs(
    project: Project, extractions: list[Path]
) -> None:
    _compiled(project)
    (project.templates / "greeting.json").write_text('{"name": 1, "items": 2}', encoding="utf-8")
    check = project.check()
    assert not check.stale, check.stale
    assert [error.message for error in check.errors] == [
        "sample context 'default' of 'greeting': name: Input should be a valid string"
    ]
    assert len(extractions) == 1


def test_a_changed_po_file_is_detected_by_check_and_rebuilt_by_compile(
    project: Project, extractions: list[Path]
) -> None:
    _compiled(project)
    po = project.templates / "locales" / "pl.po"
    po.write_text(po.read_text("utf-8").replace("Cześć", "Witaj"), encoding="utf-8")
    assert any("pl.mo" in reason for reason in project.check().stale)
    report = project.compile()
    assert not report.errors and any(path.name == "pl.mo" for path in report.written)
    assert len(extractions) == 3
    assert not project.check().stale


def test_a_changed_template_is_detected_and_its_new_message_reported(
    project: Project, extractions: list[Path]
) -> None:
    _compiled(project)
    template = project.templates / "greeting.html"
    template.write_text(
        template.read_text("utf-8").replace(
            "</body>", "<p>{% trans %}Bye{% endtrans %}</p></body>"
        ),
        encoding="utf-8",
    )
    check = project.check()
    assert check.stale
    assert len(extractions) == 2


def test_an_edited_catalog_in_the_package_is_detected(project: Project) -> None:
    _compiled(project)
    mo = project.out / "_locales" / "pl.mo"
    mo.write_bytes(mo.read_bytes() + b"\0")
    assert any("pl.mo" in reason for reason in project.check().stale)


def test_an_unchanged_cli_compile_does_not_import_babel(project: Project) -> None:
    _compiled(project)
    script = (
        "import sys\n"
        "from glasswork_email.cli import main\n"
        f"args = ['compile', {str(project.templates)!r}, '--out', {str(project.out)!r}]\n"
        "assert main(args) == 0\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'babel'], 'babel imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=project.root
    )
    assert result.returncode == 0, result.stderr
