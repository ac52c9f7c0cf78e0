"""Static typing is the point: mypy --strict and pyright over a generated package and a corpus.

Slow-ish (each checker runs once, over every snippet at once: ~10-30 s in all). The package is
generated from the repository's ``templates/``; each ``corpus/bad_*.py`` statement marked
``# expect-error`` must be rejected by both checkers, and nothing else may be: the generated
package and ``corpus/ok_*.py`` are clean under both.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from glasswork_email.cli import main

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).parent / "corpus"
BIN = Path(sys.executable).parent
MYPY_LINE = re.compile(r"^(?P<file>[^:]+\.py):(?P<line>\d+): error: (?P<message>.*)$")


@dataclass(frozen=True)
class Diagnostic:
    checker: str
    file: str
    line: int
    message: str


@dataclass(frozen=True)
class Workspace:
    root: Path
    mypy: list[Diagnostic]
    pyright: list[Diagnostic]


def _run_mypy(root: Path) -> list[Diagnostic]:
    result = subprocess.run(
        [
            str(BIN / "mypy"),
            "--strict",
            "--config-file",
            str(REPO / "pyproject.toml"),
            "--cache-dir",
            str(REPO / ".mypy_cache"),
            "--no-error-summary",
            "--hide-error-context",
            "emails",
            "corpus",
        ],
        cwd=root,
        env={**os.environ, "MYPYPATH": str(root)},
        capture_output=True,
        text=True,
    )
    diagnostics = []
    for line in result.stdout.splitlines():
        match = MYPY_LINE.match(line)
        if match:
            diagnostics.append(
                Diagnostic("mypy", match["file"], int(match["line"]), match["message"])
            )
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return diagnostics


def _run_pyright(root: Path) -> list[Diagnostic]:
    config = {
        "venvPath": str(Path(sys.prefix).parent),
        "venv": Path(sys.prefix).name,
        "pythonVersion": "3.11",
        "extraPaths": [str(root)],
        "include": ["emails", "corpus"],
    }
    (root / "pyrightconfig.json").write_text(json.dumps(config))
    result = subprocess.run(
        [str(BIN / "pyright"), "--outputjson", "-p", str(root / "pyrightconfig.json")],
        cwd=root,
        capture_output=True,
        text=True,
    )
    report = json.loads(result.stdout)
    return [
        Diagnostic(
            "pyright",
            str(Path(item["file"]).relative_to(root)),
            item["range"]["start"]["line"] + 1,
            item["message"],
        )
        for item in report["generalDiagnostics"]
        if item["severity"] == "error"
    ]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("typing")
    assert main(["compile", str(REPO / "templates"), "--out", str(root / "emails")]) == 0
    shutil.copytree(CORPUS, root / "corpus")
    return Workspace(root, _run_mypy(root), _run_pyright(root))


def _expected_statements(path: Path) -> Iterator[tuple[int, int]]:
    source = path.read_text()
    lines = source.splitlines()
    for statement in ast.parse(source).body:
        end = statement.end_lineno or statement.lineno
        if any("# expect-error" in lines[n - 1] for n in range(statement.lineno, end + 1)):
            yield statement.lineno, end


def _corpus_files(prefix: str) -> list[str]:
    return sorted(path.name for path in CORPUS.glob(f"{prefix}*.py"))


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
def test_generated_package_is_clean(workspace: Workspace, checker: str) -> None:
    diagnostics = getattr(workspace, checker)
    assert [d for d in diagnostics if d.file.startswith("emails")] == []


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
@pytest.mark.parametrize("name", _corpus_files("ok_"))
def test_correct_usages_are_accepted(workspace: Workspace, checker: str, name: str) -> None:
    diagnostics = getattr(workspace, checker)
    assert [d for d in diagnostics if d.file == f"corpus/{name}"] == []


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
@pytest.mark.parametrize("name", _corpus_files("bad_"))
def test_each_marked_misuse_is_rejected_and_nothing_else(
    workspace: Workspace, checker: str, name: str
) -> None:
    diagnostics = [d for d in getattr(workspace, checker) if d.file == f"corpus/{name}"]
    expected = list(_expected_statements(CORPUS / name))
    assert expected, f"{name} marks no statement with # expect-error"
    for start, end in expected:
        assert any(start <= d.line <= end for d in diagnostics), (
            f"{checker} accepted {name}:{start}: {diagnostics}"
        )
    unexpected = [
        d for d in diagnostics if not any(start <= d.line <= end for start, end in expected)
    ]
    assert unexpected == []


def test_mypy_names_the_payload_type_a_batch_item_expects(workspace: Workspace) -> None:
    messages = [d.message for d in workspace.mypy if d.file == "corpus/bad_enqueue_batch.py"]
    assert any(
        message.startswith('Argument 1 to "batch_item" of "JobDefinition" has incompatible type')
        and '"ResizeImage"; expected "' in message
        and "WelcomeEmail" in message
        for message in messages
    ), messages
    assert any(
        'incompatible type "LoginCodeContext"; expected "ResizeImage"' in message
        for message in messages
    ), messages
