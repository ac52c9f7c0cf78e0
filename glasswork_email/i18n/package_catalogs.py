"""The compiler's hook for catalogs: keep ``_locales/`` and ``_i18n.py`` in step with ``.po`` files.

Catalogs are rebuilt in memory when any input changed (``catalog_inputs``: a template, a ``.po``
file, the settings) and compared byte for byte with the package; an unchanged run reuses them.
Only the standard library is imported until a project turns out to be localised.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from glasswork_email.i18n.catalog_inputs import INPUTS_RECORD, input_digest, read_unchanged, record
from glasswork_email.i18n.settings import CATALOG_FOLDER, I18N_MODULE, LocaleSettings

if TYPE_CHECKING:
    from glasswork_email.compiler.errors import CompileError

__all__ = ["PackageCatalogs", "prepare_catalogs"]


class _Report(Protocol):
    errors: list[CompileError]
    warnings: list[CompileError]
    stale: list[str]
    written: list[Path]


@dataclass
class PackageCatalogs:
    """The catalog files a generated package should hold.

    Parameters:
        localised: whether the package is localised (``__init__`` then passes ``catalogs``).
        files: relative path → content of every catalog file.
    """

    localised: bool
    files: dict[str, bytes] = field(default_factory=dict)

    def stale(self, out: Path) -> list[str]:
        """Why ``out``'s catalog files differ from these (empty when they match).

        The record of the build's inputs (``_locales/inputs.sha256``) changes with any input, a
        catalog or not: it is named only when it is the one file that differs, so a changed
        ``.po`` file reads as its catalog being out of date.
        """
        differing = [
            relative
            for relative, content in sorted(self.files.items())
            if not _same(out / relative, content)
        ]
        if differing != [INPUTS_RECORD]:
            differing = [relative for relative in differing if relative != INPUTS_RECORD]
        reasons = [
            f"{out / relative} records other inputs (a template, .po file or setting changed)"
            if relative == INPUTS_RECORD
            else f"{out / relative} is out of date with the catalogs in locales/"
            for relative in differing
        ]
        reasons += [f"{path} is left over (no such catalog now)" for path in self._extra(out)]
        return reasons

    def write(self, out: Path) -> list[Path]:
        """Write the files that differ and delete left-over ones; returns what changed."""
        written: list[Path] = []
        for relative, content in sorted(self.files.items()):
            target = out / relative
            if not _same(target, content):
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
                written.append(target)
        for path in self._extra(out):
            path.unlink()
            written.append(path)
        folder = out / CATALOG_FOLDER
        if not self.localised and folder.is_dir() and not any(folder.iterdir()):
            shutil.rmtree(folder)
        return written

    def _extra(self, out: Path) -> list[Path]:
        present = sorted((out / CATALOG_FOLDER).glob("*.mo"))
        present += [out / name for name in (I18N_MODULE, INPUTS_RECORD) if (out / name).is_file()]
        return [path for path in present if path.relative_to(out).as_posix() not in self.files]


def prepare_catalogs(
    templates: Path,
    report: _Report,
    table: dict[str, Any],
    where: Path | None,
    *,
    out: Path | None = None,
    fingerprint: str = "",
) -> PackageCatalogs:
    """The catalog files of the package compiled from ``templates``; their problems go to
    ``report`` (``errors``, ``warnings``), and so does a wrong localisation setting.

    Parameters:
        templates: the templates folder.
        report: the compile report (a ``CompileReport``).
        table: the compile configuration's table (``CompileConfig.raw``).
        where: the file it was read from (``CompileConfig.file``), for errors.
        out: the generated package; when its ``_locales/inputs.sha256`` shows the catalogs were
            built from the very same inputs and not edited since, they are reused as they are
            (no extraction, no Babel import).
        fingerprint: the compiler's fingerprint, one of those inputs.
    """
    from glasswork_email.compiler.errors import CompileError, SourceLocation

    try:
        settings = LocaleSettings.from_table(table, str(where))
    except ValueError as error:
        report.errors.append(CompileError(SourceLocation(where or templates, 1), str(error)))
        return PackageCatalogs(localised=False)
    if not settings.is_localised(templates):
        return PackageCatalogs(localised=False)
    digest = input_digest(templates, table, fingerprint)
    unchanged = read_unchanged(out, digest) if out is not None else None
    if unchanged is not None:
        return PackageCatalogs(localised=True, files=unchanged)
    return _build(templates, settings, report, digest)


def _build(
    templates: Path, settings: LocaleSettings, report: _Report, digest: str
) -> PackageCatalogs:
    from glasswork_email.i18n.catalog_build import build_catalogs

    build = build_catalogs(templates, settings)
    report.errors.extend(build.errors)
    report.warnings.extend(build.warnings)
    files = dict(build.files)
    if not build.warnings:  # a run with warnings rebuilds next time, so it reports them again
        files[INPUTS_RECORD] = record(digest, build.files)
    return PackageCatalogs(localised=True, files=files)


def _same(path: Path, content: bytes) -> bool:
    try:
        return path.read_bytes() == content
    except OSError:
        return False
