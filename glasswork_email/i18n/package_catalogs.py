"""The compiler's hook for catalogs: keep ``_locales/`` and ``_i18n.py`` in step with ``.po`` files.

Catalogs are rebuilt in memory on every compile and check (a few ``.po`` files take
milliseconds) and compared byte for byte with the package, so no manifest entry can drift.
Only the standard library is imported until a project turns out to be localised.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

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
        """Why ``out``'s catalog files differ from these (empty when they match)."""
        reasons = [
            f"{out / relative} is out of date with the catalogs in locales/"
            for relative, content in sorted(self.files.items())
            if not _same(out / relative, content)
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
        if (out / I18N_MODULE).is_file():
            present.append(out / I18N_MODULE)
        return [path for path in present if path.relative_to(out).as_posix() not in self.files]


def prepare_catalogs(
    templates: Path, report: _Report, table: dict[str, Any], where: Path | None
) -> PackageCatalogs:
    """The catalog files of the package compiled from ``templates``; their problems go to
    ``report`` (``errors``, ``warnings``), and so does a wrong localisation setting.

    Parameters:
        templates: the templates folder.
        report: the compile report (a ``CompileReport``).
        table: the compile configuration's table (``CompileConfig.raw``).
        where: the file it was read from (``CompileConfig.file``), for errors.
    """
    from glasswork_email.compiler.errors import CompileError, SourceLocation

    try:
        settings = LocaleSettings.from_table(table, str(where))
    except ValueError as error:
        report.errors.append(CompileError(SourceLocation(where or templates, 1), str(error)))
        return PackageCatalogs(localised=False)
    return _build(templates, settings, report)


def _build(templates: Path, settings: LocaleSettings, report: _Report) -> PackageCatalogs:
    if not settings.is_localised(templates):
        return PackageCatalogs(localised=False)
    from glasswork_email.i18n.catalog_build import build_catalogs

    build = build_catalogs(templates, settings)
    report.errors.extend(build.errors)
    report.warnings.extend(build.warnings)
    return PackageCatalogs(localised=True, files=build.files)


def _same(path: Path, content: bytes) -> bool:
    try:
        return path.read_bytes() == content
    except OSError:
        return False
