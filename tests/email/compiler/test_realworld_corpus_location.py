"""Where the real-world corpus test looks for its templates: ``GLASSWORK_CORPUS`` first."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.email.compiler.test_realworld_corpus import CORPUS, CORPUS_VARIABLE

REPO = Path(__file__).resolve().parents[3]
TEST = "tests/email/compiler/test_realworld_corpus.py"


def _collect(corpus: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", TEST, "--collect-only", "-q", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, CORPUS_VARIABLE: corpus},
    )


def test_the_variable_names_the_corpus_folder() -> None:
    result = _collect(str(CORPUS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "test_realworld_corpus.py::" in result.stdout


def test_a_variable_naming_no_folder_fails_saying_so(tmp_path: Path) -> None:
    missing = tmp_path / "no-corpus-here"
    result = _collect(str(missing))
    assert result.returncode != 0
    assert f"{CORPUS_VARIABLE}={missing}: no such folder" in result.stdout
