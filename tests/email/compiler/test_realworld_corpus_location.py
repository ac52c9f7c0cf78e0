"""Where the real-world corpus test looks for its templates: ``GLASSWORK_CORPUS`` first."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.email.compiler.test_realworld_corpus import CORPUS, CORPUS_MISSING, CORPUS_VARIABLE

REPO = Path(__file__).resolve().parents[3]
TEST = "tests/email/compiler/test_realworld_corpus.py"


def _run(corpus: str, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", TEST, "-q", "-p", "no:cacheprovider", *options],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, CORPUS_VARIABLE: corpus},
    )


def test_the_variable_names_the_corpus_folder() -> None:
    assert CORPUS is not None, CORPUS_MISSING
    result = _run(str(CORPUS), "--collect-only")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "test_realworld_corpus.py::" in result.stdout


def test_a_variable_naming_no_folder_fails_every_corpus_test_saying_so(tmp_path: Path) -> None:
    # Collection succeeds (the rest of a suite still runs); each corpus test fails, none skips.
    missing = tmp_path / "no-corpus-here"
    result = _run(str(missing))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{CORPUS_VARIABLE}={missing}: no such folder" in result.stdout
    summary = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ errors in [\d.]+s", summary), summary
