"""An up-to-date compile reads, hashes and compares; ``--check`` still sees every kind of change.

The project is a copy of the repository's own templates (layouts, partials, fixtures, a ``.po``
file) with its compile configuration, compiled once per test module.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from glasswork_email.cli import main

REPO = Path(__file__).resolve().parents[3]

COMPILE_ONLY_MODULES = ("jinja2", "mjml", "pydantic", "babel", "inscriptis", "markupsafe")
"""Top-level packages an up-to-date compile has no use for."""
CHECK_ONLY_MODULES = ("jinja2", "pydantic", "markupsafe")
"""What ``--check`` adds: it imports the package to validate each fixture with its model."""


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder: ``templates/``, ``pyproject.toml`` and the package ``emails/``."""
    root = tmp_path_factory.mktemp("unchanged")
    shutil.copytree(REPO / "templates", root / "templates")
    table = (REPO / "pyproject.toml").read_text("utf-8").split("[tool.glasswork-email]")[1]
    (root / "pyproject.toml").write_text(
        "[tool.glasswork-email]" + table.split("\n[")[0] + "\n", encoding="utf-8"
    )
    assert _cli(root, "compile") == 0
    return root


@pytest.fixture
def project(compiled: Path, tmp_path: Path) -> Path:
    """A fresh copy of the compiled project, for a test to change."""
    root = tmp_path / "project"
    shutil.copytree(compiled, root)
    return root


def _cli(root: Path, *arguments: str) -> int:
    command, *flags = arguments
    paths = ["--out", str(root / "emails"), "--config", str(root / "pyproject.toml")]
    return main([command, str(root / "templates"), *paths, *flags])


def test_an_up_to_date_compile_and_check_import_none_of_the_compilers_libraries(
    project: Path,
) -> None:
    for flags in ([], ["--check"]):
        unused = set(COMPILE_ONLY_MODULES) - (set(CHECK_ONLY_MODULES) if flags else set())
        script = (
            "import sys\n"
            "from glasswork_email.cli import main\n"
            f"root = {str(project)!r}\n"
            "status = main(['compile', root + '/templates', '--out', root + '/emails', "
            f"'--config', root + '/pyproject.toml', *{flags!r}])\n"
            "assert status == 0, status\n"
            f"loaded = sorted({{m.split('.')[0] for m in sys.modules}} & {unused!r})\n"
            "assert not loaded, loaded\n"
            "assert not [m for m in sys.modules if m.startswith('glasswork_email.compiler.') "
            "and m.rsplit('.', 1)[1] in ('template', 'codegen', 'inference', 'text', 'mjml', "
            "'model_writer')]\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, cwd=project
        )
        assert result.returncode == 0, result.stderr + result.stdout
        assert "0 compiled, 4 unchanged" in result.stdout or "up to date" in result.stdout


def _append(relative: str, text: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / relative
        path.write_bytes(path.read_bytes() + text.encode())

    return change


def _replace(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / relative
        content = path.read_text("utf-8")
        assert old in content, (relative, old)
        path.write_text(content.replace(old, new, 1), encoding="utf-8")

    return change


CHANGES = {
    "template": _append("templates/welcome.mjml", "<!-- edited -->\n"),
    "layout": _replace("templates/layouts/base.mjml", "<mj-body", "<mj-body css-class='x'"),
    "partial": _append("templates/partials/footer.mjml", "<!-- edited -->\n"),
    "text override": _append("templates/login_code.txt", "\nEdited.\n"),
    "fixture": _replace("templates/welcome.json", '"trial_days": 14', '"trial_days": "many"'),
    "config": _replace("pyproject.toml", 'missing_translation = "fail"', ""),
    "po file": _append("templates/locales/fr.po", '\nmsgid "Only here"\nmsgstr "Seulement ici"\n'),
    "generated module": _append("emails/welcome.py", "# edited\n"),
    "generated catalog": _append("emails/_locales/fr.mo", "\0"),
    "manifest": _replace("emails/_manifest.json", '"compiler": "', '"compiler": "0'),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_check_sees_each_kind_of_change_and_compile_brings_it_up_to_date(
    project: Path, change: str
) -> None:
    assert _cli(project, "compile", "--check") == 0
    CHANGES[change](project)
    assert _cli(project, "compile", "--check") == 1
    if change == "fixture":
        return  # a fixture is not compiled: it must be fixed, not recompiled
    assert _cli(project, "compile") == 0
    assert _cli(project, "compile", "--check") == 0
