"""Compile a templates folder into a scratch package and render every template's sample contexts.

The preview server and lint judge what people will receive, so both render each email with
each of its fixtures (``welcome.json``, ``welcome.long-name.json`` beside ``welcome.mjml``),
validated against the context model the compiler generated. ``ScratchCompiler`` compiles the
folder incrementally into a private folder and imports the result under a fresh package name
on every build, so an edited template is seen without restarting the process.

Imported by the ``preview`` and ``lint`` commands only, never by the worker.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from types import ModuleType
from typing import Any

from glasswork_email.compiler.config import CompileConfig
from glasswork_email.compiler.errors import CompileError
from glasswork_email.fixtures import DEFAULT_SAMPLE, fixture_files
from glasswork_email.rendering import CompiledTemplate, RenderedEmail

__all__ = [
    "DEFAULT_FIXTURE",
    "FixtureError",
    "RenderedFixture",
    "ScratchBuild",
    "ScratchCompiler",
]

DEFAULT_FIXTURE = DEFAULT_SAMPLE
"""The name of a template's default sample context (``welcome.json``)."""
_PACKAGE_PREFIX = "_glasswork_scratch_"
_package_numbers = count(1)
KEPT_BUILDS = 2
"""Imported builds kept in ``sys.modules``: the newest and the one requests may still use."""


@dataclass(frozen=True)
class FixtureError:
    """One reason a fixture does not fit its template's context model.

    Parameters:
        field: the dotted path of the field (``user.first_name``, ``items.0.price``), empty for
            the document itself.
        message: what pydantic (or the JSON parser) says is wrong.
    """

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


@dataclass(frozen=True)
class RenderedFixture:
    """One template rendered with one of its fixtures, or why it could not be.

    Parameters:
        template: the template name.
        fixture: the fixture name (``"default"`` for ``<template>.json``).
        path: the fixture file.
        email: the rendered email, ``None`` when the fixture is invalid or rendering failed.
        errors: the fixture's validation errors, field by field (empty when valid).
        render_error: the error rendering raised, when the fixture was valid.
    """

    template: str
    fixture: str
    path: Path
    email: RenderedEmail | None
    errors: tuple[FixtureError, ...] = ()
    render_error: str | None = None


def _validation_errors(error: Any) -> tuple[FixtureError, ...]:
    return tuple(
        FixtureError(".".join(str(part) for part in detail["loc"]), detail["msg"])
        for detail in error.errors()
    )


@dataclass
class ScratchBuild:
    """The result of one build: the templates, compile errors and the imported package.

    Parameters:
        source: the templates folder.
        templates: each email template's file, by name.
        errors: compile errors (empty when the package was built and imported).
        package: the imported generated package, ``None`` when compiling failed.
    """

    source: Path
    templates: dict[str, Path] = field(default_factory=dict)
    errors: list[CompileError] = field(default_factory=list)
    package: ModuleType | None = None
    _rendered: dict[tuple[str, str], RenderedFixture] = field(default_factory=dict, repr=False)

    def compiled(self, name: str) -> CompiledTemplate[Any]:
        """The compiled template ``name``; raises ``LookupError`` when the build has none."""
        if self.package is None:
            raise LookupError(f"{self.source} did not compile")
        registry = self.package.templates
        template: CompiledTemplate[Any] = registry.get(name)
        return template

    def sources(self, name: str) -> list[Path]:
        """Template ``name``'s file, then every file it uses (layouts, partials, ``.txt``)."""
        sources = [self.templates[name]]
        if self.package is not None:
            from glasswork_email.compiler.project import MANIFEST_NAME

            manifest_path = Path(self.package.__file__ or "").parent / MANIFEST_NAME
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            entry = manifest.get("templates", {}).get(name, {})
            sources += [self.source / relative for relative in entry.get("dependencies", [])]
        return sources

    def fixtures(self, name: str) -> dict[str, Path]:
        """The fixture files of template ``name``, by fixture name.

        Raises ``glasswork_email.fixtures.FixtureError`` for a misnamed fixture file.
        """
        return fixture_files(self.templates[name])

    def render(self, name: str, fixture: str) -> RenderedFixture:
        """Render template ``name`` with its fixture ``fixture``.

        A build renders each pair once: every file change makes a new build.

        Parameters:
            name: the template name.
            fixture: the fixture name (``"default"`` or the part of ``<name>.<part>.json``).
        """
        key = (name, fixture)
        if key not in self._rendered:
            self._rendered[key] = self._render(name, fixture)
        return self._rendered[key]

    def _render(self, name: str, fixture: str) -> RenderedFixture:
        path = self.fixtures(name)[fixture]
        template = self.compiled(name)
        try:
            document = path.read_text(encoding="utf-8")
            json.loads(document)
        except (OSError, UnicodeDecodeError) as error:
            return RenderedFixture(name, fixture, path, None, (FixtureError("", str(error)),))
        except json.JSONDecodeError as error:
            message = f"{path.name}:{error.lineno}:{error.colno}: not JSON: {error.msg}"
            return RenderedFixture(name, fixture, path, None, (FixtureError("", message),))
        from pydantic import ValidationError

        try:
            context = template.context_model.model_validate_json(document)
        except ValidationError as error:
            return RenderedFixture(name, fixture, path, None, _validation_errors(error))
        try:
            email = template.render(context)
        except Exception as error:
            return RenderedFixture(name, fixture, path, None, render_error=f"{error}")
        return RenderedFixture(name, fixture, path, email)

    def render_all(self) -> list[RenderedFixture]:
        """Every template rendered with every one of its fixtures, by template then fixture."""
        return [
            self.render(name, fixture)
            for name in sorted(self.templates)
            for fixture in self.fixtures(name)
        ]


class ScratchCompiler:
    """Compiles a templates folder into a private package and imports each build afresh.

    Thread-safe: builds are serialised. Call ``close`` (or use it as a context manager) to
    delete the private folder.

    Parameters:
        source: the templates folder.
        workdir: where to write the package (default: a new temporary folder, deleted by
            ``close``).
        config: the compile configuration (default: the nearest ``pyproject.toml``'s, read
            on every build).
    """

    def __init__(
        self, source: Path, workdir: Path | None = None, config: CompileConfig | None = None
    ) -> None:
        self.source = source
        self.config = config
        self._owns_workdir = workdir is None
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="glasswork-scratch-"))
        self.out = self.workdir / "scratch_emails"
        self._lock = threading.Lock()
        self._imported: list[str] = []

    def __enter__(self) -> ScratchCompiler:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def build(self) -> ScratchBuild:
        """Compile what changed and import the package; compile errors are in the result."""
        from glasswork_email.compiler.project import ProjectCompiler, discover_templates

        with self._lock:
            build = ScratchBuild(self.source)
            build.templates = {path.stem: path for path in discover_templates(self.source)}
            report = ProjectCompiler(
                self.source, self.out, progress=lambda _line: None, config=self.config
            ).compile()
            if report.errors:
                build.errors = list(report.errors)
                return build
            build.package = self._import_fresh()
            return build

    def _import_fresh(self) -> ModuleType:
        # Bytecode caches are keyed by mtime in seconds and size: a template saved twice in
        # one second could otherwise import the previous code.
        for cache in self.out.rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)
        name = f"{_PACKAGE_PREFIX}{next(_package_numbers)}"
        spec = importlib.util.spec_from_file_location(
            name, self.out / "__init__.py", submodule_search_locations=[str(self.out)]
        )
        if spec is None or spec.loader is None:  # pragma: no cover - the file was just written
            raise ImportError(f"cannot import the package compiled into {self.out}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
        self._imported.append(name)
        self._forget_imported()
        return module

    def _forget_imported(self, keep: int = KEPT_BUILDS) -> None:
        """Drop all but the newest ``keep`` imported builds from ``sys.modules``.

        The previous build stays importable: a request still rendering from it loads its
        templates' code lazily, by module name.
        """
        while len(self._imported) > keep:
            package = self._imported.pop(0)
            prefix = f"{package}."
            for module_name in [m for m in sys.modules if m == package or m.startswith(prefix)]:
                del sys.modules[module_name]

    def close(self) -> None:
        """Forget the imported package and delete the private folder (when it made it)."""
        with self._lock:
            self._forget_imported(keep=0)
            if self._owns_workdir:
                shutil.rmtree(self.workdir, ignore_errors=True)
