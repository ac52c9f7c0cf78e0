"""Fixtures of the compiler tests: compile a few template files into an importable package."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from glasswork_email.compiler.errors import TemplateCompileError
from glasswork_email.compiler.project import ProjectCompiler

CompileTemplates = Callable[[dict[str, str]], ModuleType]


def write_templates(folder: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path → text) under ``folder``; return ``folder``."""
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def compile_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CompileTemplates:
    """Compile template files into a fresh generated package and import it."""
    generated = tmp_path / "generated"
    generated.mkdir()
    monkeypatch.syspath_prepend(str(generated))

    def compile_(files: dict[str, str]) -> ModuleType:
        source = write_templates(tmp_path / f"templates_{uuid.uuid4().hex[:8]}", files)
        package = f"emails_{uuid.uuid4().hex}"
        report = ProjectCompiler(source, generated / package, progress=lambda _: None).compile()
        if report.errors:
            raise TemplateCompileError(report.errors)
        importlib.invalidate_caches()
        return importlib.import_module(package)

    return compile_
