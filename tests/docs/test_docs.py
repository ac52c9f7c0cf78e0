"""Every code block in README.md and docs/ runs, so the documentation cannot rot.

The blocks of one document run in order, in one namespace and one scratch folder (with a copy
of ``templates/``), against the local AWS emulator (``AWS_ENDPOINT_URL`` points at it):
``python`` blocks are executed, ``bash`` blocks run in a shell with the project's ``.venv/bin``
on ``PATH``, ``yaml`` blocks must parse. A block preceded by ``<!-- docs: skip (reason) -->``
is left out; only the README's own test command uses that (it is what CI runs).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from glasswork.testing import LocalAWS

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"(<!-- docs: skip[^>]*-->\s*)?^```(\w+)[^\n]*\n(.*?)^```", re.S | re.M)


@dataclass(frozen=True)
class Block:
    """One fenced code block."""

    document: Path
    line: int
    language: str
    code: str
    skipped: bool

    def __str__(self) -> str:
        return f"{self.document.relative_to(ROOT)}:{self.line}"


def blocks_of(document: Path) -> list[Block]:
    text = document.read_text()
    return [
        Block(
            document,
            text.count("\n", 0, match.start(2)) + 1,
            match.group(2),
            match.group(3),
            bool(match.group(1)),
        )
        for match in FENCE.finditer(text)
    ]


def _compile_configuration() -> str:
    """The ``[tool.glasswork-email]`` table of the repository's ``pyproject.toml``."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    start = text.index("[tool.glasswork-email]")
    end = text.find("\n[", start + 1)
    return text[start : end if end != -1 else len(text)].strip() + "\n"


@pytest.fixture
def scratch(tmp_path: Path, local_aws: LocalAWS, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    # templates/ compiles with the repository's configuration; other folders the docs create
    # (a second project) with none
    (tmp_path / "templates" / "pyproject.toml").write_text(_compile_configuration())
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("AWS_ENDPOINT_URL", local_aws.endpoint_url)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("PATH", f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}")
    monkeypatch.setenv("GLASSWORK_DEMO_OUT", str(tmp_path / "out"))
    before = set(sys.modules)
    yield tmp_path
    for name in set(sys.modules) - before:
        module = sys.modules.get(name)
        location = str(getattr(module, "__file__", "") or "")
        if location.startswith(str(tmp_path)):
            del sys.modules[name]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_code_block_runs(document: Path, scratch: Path) -> None:
    namespace: dict[str, Any] = {"__name__": f"docs_{document.stem.replace('-', '_')}"}
    for block in blocks_of(document):
        if block.skipped:
            continue
        if block.language == "python":
            try:
                exec(compile(block.code, str(block), "exec"), namespace)
            except Exception as error:
                pytest.fail(f"{block}: python block failed: {type(error).__name__}: {error}")
        elif block.language in ("bash", "sh", "console"):
            script = block.code.replace("bash scripts/", f"bash {ROOT}/scripts/")
            done = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", script],
                cwd=scratch,
                capture_output=True,
                text=True,
                timeout=300,
            )
            output = f"{done.stdout}\n{done.stderr}"
            assert done.returncode == 0, f"{block}: shell block failed:\n{output}"
        elif block.language in ("yaml", "yml"):
            yaml.load(block.code, Loader=_AnyTagLoader)


class _AnyTagLoader(yaml.SafeLoader):
    """Reads CloudFormation short forms (``!Ref``, ``!GetAtt``) as plain values."""


_AnyTagLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def test_docs_have_code_to_run() -> None:
    assert all(blocks_of(document) for document in DOCUMENTS)
