"""Static typing is the point: mypy --strict and pyright over a generated package and a corpus.

Slow-ish (each checker runs over every snippet at once; mypy twice: ~20-40 s in all). The
package is generated from the repository's ``templates/``; each ``corpus/bad_*.py`` statement
marked ``# expect-error`` must be rejected by both checkers, and nothing else may be: the
generated package and ``corpus/ok_*.py`` are clean under both. mypy runs with the repository's
configuration (which enables ``glasswork.mypy_plugin``) and once more without the plugin: every
misuse is still rejected, and only statements marked ``# needs-mypy-plugin`` are not accepted.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
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
    mypy_without_plugin: list[Diagnostic]


def _config_without_plugin(root: Path) -> Path:
    """The repository's mypy configuration, as a mypy.ini, minus ``glasswork.mypy_plugin``."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["mypy"]
    plugins = [name for name in config["plugins"] if name != "glasswork.mypy_plugin"]
    assert len(plugins) == len(config["plugins"]) - 1, config["plugins"]
    lines = ["[mypy]", "strict = True", f"plugins = {', '.join(plugins)}"]
    for override in config.get("overrides", []):
        lines.append(f"[mypy-{','.join(override['module'])}]")
        lines += [f"{key} = {value}" for key, value in override.items() if key != "module"]
    path = root / "mypy-without-plugin.ini"
    path.write_text("\n".join(lines) + "\n")
    return path


def _run_mypy(root: Path, config: Path, cache: Path) -> list[Diagnostic]:
    result = subprocess.run(
        [
            str(BIN / "mypy"),
            "--strict",
            "--config-file",
            str(config),
            "--cache-dir",
            str(cache),
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
    return Workspace(
        root,
        _run_mypy(root, REPO / "pyproject.toml", REPO / ".mypy_cache"),
        _run_pyright(root),
        _run_mypy(root, _config_without_plugin(root), REPO / ".mypy_cache" / "without-plugin"),
    )


def _expected_statements(path: Path, marker: str = "# expect-error") -> Iterator[tuple[int, int]]:
    source = path.read_text()
    lines = source.splitlines()
    for statement in ast.parse(source).body:
        end = statement.end_lineno or statement.lineno
        if any(marker in lines[n - 1] for n in range(statement.lineno, end + 1)):
            yield statement.lineno, end


def _corpus_files(prefix: str) -> list[str]:
    return sorted(path.name for path in CORPUS.glob(f"{prefix}*.py"))


@pytest.mark.parametrize("checker", ["mypy", "pyright", "mypy_without_plugin"])
def test_generated_package_is_clean(workspace: Workspace, checker: str) -> None:
    diagnostics = getattr(workspace, checker)
    assert [d for d in diagnostics if d.file.startswith("emails")] == []


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
@pytest.mark.parametrize("name", _corpus_files("ok_"))
def test_correct_usages_are_accepted(workspace: Workspace, checker: str, name: str) -> None:
    diagnostics = getattr(workspace, checker)
    assert [d for d in diagnostics if d.file == f"corpus/{name}"] == []


@pytest.mark.parametrize("checker", ["mypy", "pyright", "mypy_without_plugin"])
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


@pytest.mark.parametrize("name", _corpus_files("ok_"))
def test_without_the_plugin_mypy_rejects_only_what_needs_it(
    workspace: Workspace, name: str
) -> None:
    diagnostics = [d for d in workspace.mypy_without_plugin if d.file == f"corpus/{name}"]
    needs_plugin = list(_expected_statements(CORPUS / name, marker="# needs-mypy-plugin"))
    for start, end in needs_plugin:
        assert any(start <= d.line <= end for d in diagnostics), (
            f"mypy without the plugin now accepts {name}:{start}: drop its marker"
        )
    unexpected = [
        d for d in diagnostics if not any(start <= d.line <= end for start, end in needs_plugin)
    ]
    assert unexpected == []


EMAIL_PAYLOAD = '"LoginCodeEmail | OrderConfirmationEmail | PasswordResetEmail | WelcomeEmail"'
BATCH_MESSAGES = [
    (
        "jobs.enqueue_batch([(send_email, image)])",
        f'enqueue_batch item 1: job "send_email" takes {EMAIL_PAYLOAD}, got "ResizeImage"',
    ),
    (
        "jobs.enqueue_batch([send_email.batch_item(image)])",
        'Argument 1 to "batch_item" of "JobDefinition" has incompatible type "ResizeImage"; '
        f"expected {EMAIL_PAYLOAD}",
    ),
    (
        "jobs.enqueue_batch([resize_image.batch_item(login)])",
        'Argument 1 to "batch_item" of "JobDefinition" has incompatible type "LoginCodeContext"; '
        'expected "ResizeImage"',
    ),
    (
        "jobs.enqueue_batch([(send_email, welcome), (resize_image, login)])",
        'enqueue_batch item 2: job "resize_image" takes "ResizeImage", got "LoginCodeContext"',
    ),
    (
        "jobs.enqueue_batch([(send_email, welcome_or_image)])",
        f'enqueue_batch item 1: job "send_email" takes {EMAIL_PAYLOAD}, got '
        '"WelcomeEmail | ResizeImage" ("ResizeImage" not accepted)',
    ),
    (
        "(send_email, login),",
        f'enqueue_batch item 2: job "send_email" takes {EMAIL_PAYLOAD}, got "LoginCodeContext"',
    ),
    (
        "jobs.enqueue_batch([(send_email, welcome), (resize_image, image)])",
        'enqueue_batch item 2: job "resize_image" takes "ResizeImage" but item 1\'s job '
        f'"send_email" takes {EMAIL_PAYLOAD}; (job, payload) pairs share one payload type; '
        "job.batch_item(payload) mixes jobs",
    ),
    (
        'jobs.enqueue_batch([("resize-image", image)])',
        'List item 0 has incompatible type "tuple[str, ResizeImage]"; expected "BatchItem[Any]"  '
        "[list-item]",
    ),
    (
        'jobs.enqueue_batch([(send_email, ResizeImage(url=url)) for url in ["a", "b"]])',
        f'enqueue_batch items: job "send_email" takes {EMAIL_PAYLOAD}, got "ResizeImage"',
    ),
    (
        "jobs.enqueue_batch((resize_image, login) for _ in range(2))",
        'enqueue_batch items: job "resize_image" takes "ResizeImage", got "LoginCodeContext"',
    ),
    (
        "jobs.enqueue_batch(pairs)",
        'enqueue_batch items: job takes "ResizeImage", got "LoginCodeContext"',
    ),
]
"""Each misuse of ``corpus/bad_enqueue_batch.py`` (by the start of its line) and mypy's message
with the plugin; the one that is not a pair of a job is left to mypy."""


ENQUEUE_MESSAGES = [
    (
        "jobs.enqueue(send_email, context)",
        'Argument 2 to "enqueue" of "JobService" has incompatible type "WelcomeContext"; '
        f"expected {EMAIL_PAYLOAD}",
    ),
    (
        "jobs.enqueue(send_email, {",
        'Argument 2 to "enqueue" of "JobService" has incompatible type "dict[str, str]"; '
        f"expected {EMAIL_PAYLOAD}",
    ),
    (
        "jobs.enqueue_in(send_email, LoginCodeContext(",
        'Argument 2 to "enqueue_in" of "JobService" has incompatible type "LoginCodeContext"; '
        f"expected {EMAIL_PAYLOAD}",
    ),
]
"""The misuses of ``corpus/bad_job_service.py`` and mypy's message with the plugin (without it:
``Cannot infer value of type parameter "P"``)."""


def _messages_by_line(
    workspace: Workspace, name: str, expected: list[tuple[str, str]]
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    lines = (CORPUS / name).read_text().splitlines()
    wanted = [
        (next(n for n, line in enumerate(lines, 1) if line.strip().startswith(code)), message)
        for code, message in expected
    ]
    found = [
        (d.line, d.message.removesuffix("  [arg-type]"))
        for d in workspace.mypy
        if d.file == f"corpus/{name}"
    ]
    return found, wanted


def test_mypy_names_the_payload_type_each_batch_item_expects(workspace: Workspace) -> None:
    found, expected = _messages_by_line(workspace, "bad_enqueue_batch.py", BATCH_MESSAGES)
    assert not any("Cannot infer" in message for _line, message in found)
    assert found == expected


def test_mypy_names_the_payload_type_an_enqueued_job_expects(workspace: Workspace) -> None:
    found, expected = _messages_by_line(workspace, "bad_job_service.py", ENQUEUE_MESSAGES)
    assert found == expected
    without = [
        d.message for d in workspace.mypy_without_plugin if d.file == "corpus/bad_job_service.py"
    ]
    assert len(without) == len(expected)
    assert all(message.startswith("Cannot infer value") for message in without), without
