"""Compile a folder of templates into a generated package, recompiling only what changed.

The generated package keeps a manifest (``_manifest.json``): a fingerprint of the compiler,
and per template the hash of its source and every file it used (partials, layouts, ``.txt``),
plus the hash of every file written. An unchanged template is not recompiled; ``check``
compares without writing. This module imports only the standard library at import time, so
the CLI answers "nothing to do" without loading Jinja, pydantic or MJML.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glasswork_email.compiler.config import CompileConfig, load_config
from glasswork_email.compiler.errors import CompileError, SourceLocation
from glasswork_email.i18n.package_catalogs import prepare_catalogs

if TYPE_CHECKING:
    from glasswork_email.compiler.new_files import CreatedFiles

__all__ = [
    "MANIFEST_NAME",
    "CompileReport",
    "ProjectCompiler",
    "discover_templates",
    "is_partial",
]

logger = logging.getLogger(__name__)

MANIFEST_NAME = "_manifest.json"
"""The manifest file inside a generated package."""
TEMPLATE_SUFFIXES = (".mjml", ".html")
"""Email template file suffixes."""
PARTIAL_FOLDERS = frozenset({"partials", "layouts", "components", "includes"})
"""Folders whose files are pieces of emails, not emails."""
_COMPILER_FILES = ("glasswork_email/compiler", "glasswork_email/rendering.py")
_COMPILER_CHANGED = "the compiler (or Jinja / MJML) changed since the last compile"


def is_partial(path: Path, root: Path) -> bool:
    """Whether ``path`` (under ``root``) is a partial or layout rather than an email."""
    parts = path.relative_to(root).parts
    return any(part in PARTIAL_FOLDERS or part.startswith("_") for part in parts)


def discover_templates(root: Path) -> list[Path]:
    """The email templates under ``root`` (``*.mjml``, ``*.html``), partials excluded, sorted.

    Parameters:
        root: the templates folder.
    """
    found = [
        path
        for suffix in TEMPLATE_SUFFIXES
        for path in root.rglob(f"*{suffix}")
        if path.is_file() and not is_partial(path, root)
    ]
    return sorted(found)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def compiler_fingerprint() -> str:
    """A hash of the compiler's code and the versions of Jinja and MJML it compiles with."""
    digest = hashlib.sha256()
    package_root = Path(__file__).resolve().parents[2]
    for relative in _COMPILER_FILES:
        location = package_root / relative
        files = sorted(location.rglob("*.py")) if location.is_dir() else [location]
        for file in files:
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    for package in ("jinja2", "mjml"):
        digest.update(f"{package}={_installed_version(package)}".encode())
    return digest.hexdigest()


def _installed_version(package: str) -> str:
    """The installed version of ``package``, without importing it or ``importlib.metadata``.

    Reads the name of the ``*.dist-info`` folder that installed the package's files (a few
    file-system calls instead of ~20 ms of ``importlib.metadata`` on every CLI run).
    """
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return "missing"
    site = Path(spec.origin).parent.parent
    # the distribution is usually named after the package (mjml → mjml_python): look there
    # first rather than read the RECORD of every installed distribution
    for named in site.glob(f"{package}*.dist-info"):
        record = named / "RECORD"
        if record.is_file() and f"{package}/__init__" in record.read_text(encoding="utf-8"):
            return named.name
    for record in site.glob("*.dist-info/top_level.txt"):
        if package in record.read_text(encoding="utf-8").split():
            return record.parent.name
    for record in site.glob("*.dist-info/RECORD"):
        if f"{package}/__init__" in record.read_text(encoding="utf-8"):
            return record.parent.name
    return f"unknown:{Path(spec.origin).stat().st_mtime_ns}"


def _relative(path: Path, folder: Path) -> str:
    """``path`` relative to the templates folder: the manifest must not depend on where the
    compiler ran (CI checks a package generated on a developer's machine)."""
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def _source_hash(fingerprint: str, folder: Path, source: str, dependencies: list[str]) -> str:
    digest = hashlib.sha256(fingerprint.encode())
    for relative in [source, *sorted(dependencies)]:
        digest.update(relative.encode() + b"\0")
        try:
            digest.update((folder / relative).read_bytes())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()


@dataclass
class CompileReport:
    """What a compile (or check) did.

    Parameters:
        compiled: templates compiled in this run.
        unchanged: templates whose generated code was up to date.
        removed: templates whose generated code was deleted (their source is gone).
        errors: problems found, each at ``file:line:col``.
        stale: for ``check``: why the package is out of date (empty when up to date).
        written: files written or deleted.
        warnings: problems that do not stop the compile (missing translations that fall back).
    """

    compiled: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: list[CompileError] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    warnings: list[CompileError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No errors and, for a check, nothing stale."""
        return not self.errors and not self.stale


class ProjectCompiler:
    """Compiles the templates of one folder into one generated package.

    Parameters:
        source: the templates folder.
        out: the generated package's directory (created when missing).
        progress: called with one line per template (default: log at INFO).
        config: the compile configuration (default: ``[tool.glasswork-email]`` of the nearest
            ``pyproject.toml`` at or above ``source``); raises ``ConfigError`` when invalid.
    """

    def __init__(
        self,
        source: Path,
        out: Path,
        progress: Callable[[str], None] | None = None,
        config: CompileConfig | None = None,
    ) -> None:
        self.source = source
        self.out = out
        self.progress = progress or logger.info
        self.config = config if config is not None else load_config(source)
        digest = hashlib.sha256(compiler_fingerprint().encode())
        digest.update(self.config.fingerprint().encode())
        self.fingerprint = digest.hexdigest()

    # -- manifest -------------------------------------------------------------------------
    def _load_manifest(self) -> dict[str, Any]:
        try:
            loaded = json.loads((self.out / MANIFEST_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def _templates(self, report: CompileReport) -> dict[str, Path]:
        templates: dict[str, Path] = {}
        for path in discover_templates(self.source):
            name = path.stem
            if name in templates:
                report.errors.append(
                    CompileError(
                        SourceLocation(path, 1),
                        f"two templates are called {name!r} ({templates[name]} and {path}); "
                        "rename one",
                    )
                )
            elif not (name.isidentifier() and not name.startswith("_")):
                suggestion = "".join(c if c.isalnum() else "_" for c in name).strip("_")
                report.errors.append(
                    CompileError(
                        SourceLocation(path, 1),
                        f"template name {name!r} must be a Python identifier: "
                        f"rename the file to {suggestion}{path.suffix}",
                    )
                )
            else:
                templates[name] = path
        if not templates and not report.errors:
            report.errors.append(
                CompileError(
                    SourceLocation(self.source, 1),
                    "no email templates (*.mjml, *.html outside partials/ and layouts/) here",
                )
            )
        return templates

    def _up_to_date(self, name: str, path: Path, manifest: dict[str, Any]) -> bool:
        return self._why_stale(name, path, manifest) is None

    def _why_stale(self, name: str, path: Path, manifest: dict[str, Any]) -> str | None:
        """Why template ``name``'s generated modules are out of date, or ``None``."""
        entry = manifest.get("templates", {}).get(name)
        if not isinstance(entry, dict):
            return f"{path}: new, never compiled"
        if manifest.get("compiler") != self.fingerprint:
            return _COMPILER_CHANGED
        relative = _relative(path, self.source)
        expected = _source_hash(
            self.fingerprint, self.source, relative, entry.get("dependencies", [])
        )
        if entry.get("source") != relative or entry.get("hash") != expected:
            return f"{path}: changed since the last compile"
        edited = [file for file in entry.get("files", []) if not self._file_intact(file, manifest)]
        if edited:
            files = ", ".join(str(self.out / file) for file in edited)
            return (
                f"{files}: the generated file was edited or removed (generated from {path}; "
                "generated files are never edited by hand)"
            )
        return None

    def _file_intact(self, relative: str, manifest: dict[str, Any]) -> bool:
        try:
            content = (self.out / relative).read_bytes()
        except OSError:
            return False
        return bool(manifest.get("files", {}).get(relative) == _sha256(content))

    # -- check ----------------------------------------------------------------------------
    def check(self) -> CompileReport:
        """Report, without writing, whether the generated package is missing or stale, and
        (when it is up to date) whether every sample context validates against it."""
        report = CompileReport()
        templates = self._templates(report)
        manifest = self._load_manifest()
        if not manifest:
            report.stale.append(f"{self.out} has no {MANIFEST_NAME}: never compiled")
            return report
        if manifest.get("compiler") != self.fingerprint:
            report.stale.append(_COMPILER_CHANGED)
        known = set(manifest.get("templates", {}))
        for name in sorted(known - set(templates)):
            report.stale.append(f"template {name!r} was removed")
        for name, path in templates.items():
            reason = self._why_stale(name, path, manifest)
            if reason is None:
                report.unchanged.append(name)
            elif reason != _COMPILER_CHANGED:  # said once above
                report.stale.append(reason)
        for shared in ("__init__.py", f"{_runtime_module()}.py"):
            if not self._file_intact(shared, manifest):
                report.stale.append(f"{self.out / shared} is missing or was edited")
        catalogs = prepare_catalogs(self.source, report, self.config.raw, self.config.file)
        if bool(manifest.get("localised", False)) != catalogs.localised:
            report.stale.append(f"{self.out / '__init__.py'}: the project's localisation changed")
        report.stale.extend(catalogs.stale(self.out))
        if not report.stale and not report.errors:
            from glasswork_email.compiler.fixture_check import check_fixtures

            report.errors.extend(check_fixtures(self.source, self.out))
        return report

    # -- compile --------------------------------------------------------------------------
    def compile(self, *, force: bool = False) -> CompileReport:
        """Compile what changed and write the package; on any error write nothing.

        Parameters:
            force: recompile every template even when unchanged (default ``False``).
        """
        report = CompileReport()
        templates = self._templates(report)
        manifest = {} if force else self._load_manifest()
        pending = {
            name: path
            for name, path in templates.items()
            if not self._up_to_date(name, path, manifest)
        }
        for name in sorted(set(templates) - set(pending)):
            report.unchanged.append(name)
            self.progress(f"  unchanged  {name}")
        generated: dict[str, _Outcome] = {}
        if pending:
            generated = self._compile_pending(pending, report)
        catalogs = prepare_catalogs(self.source, report, self.config.raw, self.config.file)
        if report.errors:
            from glasswork_email.compiler.new_files import remove_created

            remove_created(self.out, (o.created for o in generated.values() if o.created))
            return report
        previous = manifest.get("templates", {})
        shared_stale = (
            not all(
                self._file_intact(shared, manifest)
                for shared in ("__init__.py", f"{_runtime_module()}.py")
            )
            or bool(manifest.get("localised", False)) != catalogs.localised
        )
        removed = sorted(set(previous) - set(templates))
        report.written.extend(catalogs.write(self.out))
        if not pending and not removed and not shared_stale:
            return report
        self._write(templates, generated, manifest, removed, report, localised=catalogs.localised)
        return report

    def _compile_pending(
        self, pending: dict[str, Path], report: CompileReport
    ) -> dict[str, _Outcome]:
        """Compile ``pending``; the outcomes of those that compiled, by name.

        Workers create the files that do not exist yet as they go (``new_files``), unless an
        error is already known; the caller removes them if any template fails.
        """
        if self.config.extensions:  # a ConfigError here, not in a worker; workers inherit them
            from glasswork_email.compiler.extensions import prepare_environment
            from glasswork_email.rendering import create_environment

            prepare_environment(create_environment(), self.config)
        items = sorted(pending.items())
        out = None if report.errors else self.out
        workers = _worker_count(len(items))
        if workers > 1:
            from glasswork_email.compiler.new_files import remove_created
            from glasswork_email.compiler.parallel import WorkerProcessError, run_forked

            _import_compiler()  # once, before forking, so every worker inherits it
            chunks = [
                (self.source, out, items[index::workers], self.config) for index in range(workers)
            ]
            mine: list[_Outcome] = []  # this process's outcomes, lost if a worker fails

            def compile_chunk(job: _Chunk) -> list[_Outcome]:
                mine.extend(_compile_chunk(job))
                return mine

            try:
                outcomes = [o for chunk in run_forked(compile_chunk, chunks) for o in chunk]
            except WorkerProcessError:
                if out is not None:
                    remove_created(out, (o.created for o in mine if o.created))
                raise
        else:
            outcomes = _compile_chunk((self.source, out, items, self.config))
        generated: dict[str, _Outcome] = {}
        for outcome in sorted(outcomes, key=lambda o: o.name):
            if outcome.errors:
                # an error in a shared layout or partial is reported once, not per email
                report.errors.extend(e for e in outcome.errors if e not in report.errors)
                self.progress(f"  FAILED     {outcome.name} ({outcome.path})")
                continue
            generated[outcome.name] = outcome
            report.compiled.append(outcome.name)
            self.progress(f"  compiled   {outcome.name} ({outcome.path})")
        return generated

    def _write(
        self,
        templates: dict[str, Path],
        generated: dict[str, _Outcome],
        manifest: dict[str, Any],
        removed: list[str],
        report: CompileReport,
        *,
        localised: bool = False,
    ) -> None:
        from glasswork_email.compiler.codegen import generate_package_init, read_exports

        previous = manifest.get("templates", {})
        entries: dict[str, Any] = {}
        exports: dict[str, list[str]] = {}
        files_to_write: list[Any] = []
        created: dict[str, str] = {}
        for name, path in templates.items():
            if name in generated:
                outcome = generated[name]
                files_to_write.extend(outcome.files)
                created.update(outcome.created.files if outcome.created else {})
                relative = _relative(path, self.source)
                dependencies = outcome.dependencies
                entries[name] = {
                    "source": relative,
                    "dependencies": dependencies,
                    "hash": _source_hash(self.fingerprint, self.source, relative, dependencies),
                    "files": [file.path.as_posix() for file in outcome.files],
                }
                exports[name] = outcome.exports
            else:
                entries[name] = previous[name]
                exports[name] = read_exports((self.out / f"{name}.py").read_text("utf-8"))
        files_to_write.extend(
            generate_package_init(exports, self.source.resolve().name, localised=localised)
        )
        hashes: dict[str, str] = {
            relative: digest
            for relative, digest in manifest.get("files", {}).items()
            if any(relative in entry["files"] for entry in entries.values())
        }
        folders: set[Path] = set()
        for file in files_to_write:
            target = self.out / file.path
            relative = file.path.as_posix()
            if relative in created:  # by the worker that compiled it
                report.written.append(target)
                hashes[relative] = created[relative]
                continue
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            data = file.content.encode("utf-8")
            if not target.is_file() or target.read_bytes() != data:
                target.write_bytes(data)
                report.written.append(target)
            hashes[relative] = _sha256(data)
        for name in removed:
            for relative in previous[name].get("files", []):
                stale = self.out / relative
                if stale.is_file():
                    stale.unlink()
                    report.written.append(stale)
            report.removed.append(name)
            self.progress(f"  removed    {name}")
        new_manifest: dict[str, object] = {
            "generator": "glasswork-email compile",
            "compiler": self.fingerprint,
            "source": self.source.resolve().name,
            "templates": entries,
            "files": dict(sorted(hashes.items())),
        }
        if localised:
            new_manifest["localised"] = True
        (self.out / MANIFEST_NAME).write_text(
            json.dumps(new_manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )


PARALLEL_MINIMUM_TEMPLATES = 8
"""Below this many templates to compile, forking worker processes costs more than it saves."""


def _worker_count(templates: int) -> int:
    from glasswork_email.compiler.parallel import can_fork

    if templates < PARALLEL_MINIMUM_TEMPLATES or not can_fork():
        return 1
    return max(1, min(os.cpu_count() or 1, 4, templates // 4))


def _import_compiler() -> None:
    """Import what compiling a template needs (Jinja, MJML, the compiler)."""
    import mjml  # noqa: F401

    import glasswork_email.compiler.codegen
    import glasswork_email.compiler.mjml
    import glasswork_email.compiler.new_files
    import glasswork_email.compiler.template
    import glasswork_email.rendering  # noqa: F401


@dataclass
class _Outcome:
    """What compiling one template produced (picklable: crosses process boundaries)."""

    name: str
    path: Path
    files: list[Any] = field(default_factory=list)
    dependencies: list[str] = field(default_factory=list)
    exports: list[str] = field(default_factory=list)
    errors: list[CompileError] = field(default_factory=list)
    created: CreatedFiles | None = None
    """What of its files the worker created (``None`` when it failed)."""


_Chunk = tuple[Path, Path | None, list[tuple[str, Path]], CompileConfig]
"""A worker's share: the templates folder, the package (``None``: create no files yet), the
templates to compile and the configuration."""


def _compile_chunk(job: _Chunk) -> list[_Outcome]:
    """Compile some templates of the folder ``job[0]`` (run in a worker process or inline),
    creating their files under ``job[1]`` where none exist yet (when it is not ``None``)."""
    from glasswork_email.compiler.codegen import generate_template
    from glasswork_email.compiler.composition import SourceTree
    from glasswork_email.compiler.errors import TemplateCompileError
    from glasswork_email.compiler.extensions import CallableNames, prepare_environment
    from glasswork_email.compiler.new_files import CreatedFiles, create_new_files, remove_created
    from glasswork_email.compiler.template import compile_template
    from glasswork_email.rendering import create_compile_environment

    source, out, items, config = job
    html_environment = prepare_environment(create_compile_environment(), config)
    text_environment = prepare_environment(create_compile_environment(text=True), config)
    names = CallableNames.of(html_environment, config)
    tree = SourceTree(source, html_environment)
    outcomes: list[_Outcome] = []
    created = CreatedFiles()
    try:
        for name, path in items:
            try:
                compiled = compile_template(tree, path, html_environment, text_environment, names)
                files, exports = generate_template(
                    compiled, html_environment, text_environment, source, config.extensions
                )
            except TemplateCompileError as error:
                outcomes.append(_Outcome(name, path, errors=error.errors))
                continue
            dependencies = sorted(_relative(p, source) for p in compiled.dependencies)
            mine = CreatedFiles()
            if out is not None:
                create_new_files(out, files, mine)
                created.files.update(mine.files)
                created.folders.extend(mine.folders)
            outcomes.append(_Outcome(name, path, files, dependencies, exports, created=mine))
    except BaseException:
        if out is not None:
            remove_created(out, [created])  # the caller never sees these outcomes
        raise
    return outcomes


def _runtime_module() -> str:
    return "_runtime"
