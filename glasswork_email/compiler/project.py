"""Compile a folder of templates into a generated package, recompiling only what changed.

``ProjectCompiler`` puts the pieces together, each in a module of its own:
- ``planning``: the templates there are, the manifest, what is stale (``CompilePlan``);
- ``workers``: the pending templates compiled, in forked worker processes;
- ``package_writer``: the files written into a staging folder swapped in for the package.
This module imports only the standard library at import time, so the CLI answers "nothing to
do" without loading Jinja, pydantic or MJML.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from glasswork_email.compiler.config import CompileConfig, load_config
from glasswork_email.compiler.errors import CompileError
from glasswork_email.compiler.planning import (
    COMPILER_CHANGED,
    MANIFEST_NAME,
    SHARED_FILES,
    CompilePlan,
    compiler_fingerprint,
    discover_templates,
    find_templates,
    is_partial,
)
from glasswork_email.i18n.package_catalogs import PackageCatalogs, prepare_catalogs

__all__ = [
    "MANIFEST_NAME",
    "CompileReport",
    "ProjectCompiler",
    "discover_templates",
    "is_partial",
]

logger = logging.getLogger(__name__)


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

    def check(self) -> CompileReport:
        """Report, without writing, whether the generated package is missing or stale, and
        (when it is up to date) whether every sample context validates against it."""
        report = CompileReport()
        templates, variants = self._find(report.errors)
        plan = CompilePlan.load(self.source, self.out, self.fingerprint)
        if not plan.manifest:
            report.stale.append(f"{self.out} has no {MANIFEST_NAME}: never compiled")
            return report
        if plan.manifest.get("compiler") != self.fingerprint:
            report.stale.append(COMPILER_CHANGED)
        for name in sorted(set(plan.previous()) - set(templates)):
            report.stale.append(f"template {name!r} was removed")
        for name, path in templates.items():
            reason = plan.why_stale(name, path, variants.get(name))
            if reason is None:
                report.unchanged.append(name)
            elif reason != COMPILER_CHANGED:  # said once above
                report.stale.append(reason)
        for shared in SHARED_FILES:
            if not plan.file_intact(shared):
                report.stale.append(f"{self.out / shared} is missing or was edited")
        catalogs = prepare_catalogs(
            self.source,
            report,
            self.config.raw,
            self.config.file,
            out=self.out,
            fingerprint=self.fingerprint,
        )
        if bool(plan.manifest.get("localised", False)) != catalogs.localised:
            report.stale.append(f"{self.out / '__init__.py'}: the project's localisation changed")
        report.stale.extend(catalogs.stale(self.out))
        if not report.stale and not report.errors:
            from glasswork_email.compiler.fixture_check import check_fixtures

            report.errors.extend(check_fixtures(self.source, self.out))
        return report

    def _prepare_catalogs(self) -> tuple[PackageCatalogs, CompileReport]:
        """The package's catalog files and the problems found building them (picklable: it
        runs in a process of its own while the templates compile)."""
        found = CompileReport()
        catalogs = prepare_catalogs(
            self.source,
            found,
            self.config.raw,
            self.config.file,
            out=self.out,
            fingerprint=self.fingerprint,
        )
        return catalogs, found

    def compile(self, *, force: bool = False) -> CompileReport:
        """Compile what changed and replace the package whole; on any error write nothing.

        Every template is compiled even when one fails, so the report holds every error.

        Parameters:
            force: recompile every template even when unchanged (default ``False``).
        """
        report = CompileReport()
        templates, variants = self._find(report.errors)
        plan = CompilePlan.load(self.source, self.out, self.fingerprint, force=force)
        pending = {
            name: path
            for name, path in templates.items()
            if plan.why_stale(name, path, variants.get(name)) is not None
        }
        for name in sorted(set(templates) - set(pending)):
            report.unchanged.append(name)
            self.progress(f"  unchanged  {name}")
        removed = sorted(set(plan.previous()) - set(templates))
        prepared: tuple[PackageCatalogs, CompileReport] | None = None
        if not pending:  # nothing to compile: the catalogs alone may say there is work
            prepared = self._prepare_catalogs()
            catalogs = prepared[0]
            shared_stale = not plan.shared_intact() or (
                bool(plan.manifest.get("localised", False)) != catalogs.localised
            )
            if not (removed or shared_stale or catalogs.stale(self.out)):
                report.errors.extend(prepared[1].errors)
                report.warnings.extend(prepared[1].warnings)
                return report
        from glasswork_email.compiler.package_writer import PackageWrite, StagingFolder
        from glasswork_email.compiler.workers import compile_templates

        staging = StagingFolder(self.out)
        try:
            known_error = bool(report.errors)
            outcomes, (catalogs, found) = compile_templates(
                self.source,
                None if known_error else staging.path,
                pending,
                self.config,
                alongside=self._prepare_catalogs if prepared is None else lambda: prepared,
                variants=variants,
            )
            report.errors.extend(found.errors)
            report.warnings.extend(found.warnings)
            generated = {}
            for outcome in sorted(outcomes, key=lambda o: o.name):
                report.warnings.extend(w for w in outcome.warnings if w not in report.warnings)
                if outcome.errors:
                    # an error in a shared layout or partial is reported once, not per email
                    report.errors.extend(e for e in outcome.errors if e not in report.errors)
                    self.progress(f"  FAILED     {outcome.name} ({outcome.path})")
                    continue
                generated[outcome.name] = outcome
                report.compiled.append(outcome.name)
                self.progress(f"  compiled   {outcome.name} ({outcome.path})")
            if report.errors:
                staging.discard()
                return report
            writer = PackageWrite(plan, staging.path, self.progress)
            written, removed_names = writer.write(
                templates, generated, removed, localised=catalogs.localised, variants=variants
            )
            report.written.extend(written)
            report.removed.extend(removed_names)
            report.written.extend(
                self.out / path.relative_to(staging.path) for path in catalogs.write(staging.path)
            )
            staging.commit()
        except BaseException:
            staging.discard()
            raise
        return report

    def _find(
        self, errors: list[CompileError]
    ) -> tuple[dict[str, Path], dict[str, dict[str, Path]]]:
        """The emails of the folder and their per-locale variants (``compiler.variants``)."""
        dotted: list[Path] = []
        templates = find_templates(self.source, errors, dotted)
        if not dotted:
            return templates, {}
        from glasswork_email.compiler.variants import find_variants
        from glasswork_email.i18n.settings import LocaleSettings

        try:
            settings = LocaleSettings.from_table(self.config.raw, str(self.config.file))
        except ValueError:  # reported with the catalogs
            settings = LocaleSettings()
        locales = tuple(settings.catalog_paths(self.source))
        variants = find_variants(dotted, templates, locales, settings.default_locale, errors)
        return templates, variants
