"""Writing the package: every file goes to a staging folder that replaces the package whole.

A compile writes into a staging folder beside the package, a copy of it (empty for a first
compile); only when every template compiled is the staging folder swapped in for the package,
by two renames. An error, or an exception, discards it, so a compile either replaces the
whole package or leaves it exactly as it was: never a half-written one.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from glasswork_email.compiler.planning import (
    MANIFEST_NAME,
    CompilePlan,
    relative_source,
    sha256,
    source_hash,
)
from glasswork_email.compiler.workers import TemplateOutcome

__all__ = ["PackageWrite", "StagingFolder"]


class StagingFolder:
    """A copy of the package ``out`` to write into, swapped in for it by ``commit``.

    Parameters:
        out: the generated package's directory (need not exist yet).
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out.parent / f".{out.name}.compiling-{os.getpid()}"
        self._discard_folder(self.path)
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.is_dir():
            shutil.copytree(out, self.path, symlinks=True)
        else:
            self.path.mkdir()

    def commit(self) -> None:
        """Replace the package with the staging folder."""
        previous = self.out.parent / f".{self.out.name}.previous-{os.getpid()}"
        if self.out.exists():
            self.out.rename(previous)
        self.path.rename(self.out)
        self._discard_folder(previous)

    def discard(self) -> None:
        """Remove the staging folder; the package stays as it was."""
        self._discard_folder(self.path)

    @staticmethod
    def _discard_folder(folder: Path) -> None:
        if folder.exists():
            shutil.rmtree(folder)


class PackageWrite:
    """Writes a compile's files into a staging folder, with the new manifest.

    Parameters:
        plan: the compile's plan (the previous manifest and the package it describes).
        staging: the folder to write into (a copy of the package).
        progress: called with one line per removed template.
    """

    def __init__(self, plan: CompilePlan, staging: Path, progress: Callable[[str], None]) -> None:
        self.plan = plan
        self.staging = staging
        self.progress = progress

    def write(
        self,
        templates: dict[str, Path],
        generated: dict[str, TemplateOutcome],
        removed: list[str],
        *,
        localised: bool = False,
        variants: dict[str, dict[str, Path]] | None = None,
    ) -> tuple[list[Path], list[str]]:
        """Write every template's files, ``__init__`` and the manifest; delete ``removed``.

        Returns the files written or deleted (as paths in the package) and the templates
        removed.

        Parameters:
            templates: every template of the folder, by name.
            generated: the outcomes of those compiled in this run.
            removed: the templates whose source is gone.
            localised: whether the package ships translation catalogs.
            variants: the per-locale variants of the templates, by template and locale
                (default none).
        """
        variants = variants or {}
        from glasswork_email.compiler.package_init import generate_package_init, read_exports

        plan = self.plan
        previous = plan.previous()
        entries: dict[str, Any] = {}
        exports: dict[str, list[str]] = {}
        files_to_write: list[Any] = []
        created: dict[str, str] = {}
        for name, path in templates.items():
            if name in generated:
                outcome = generated[name]
                files_to_write.extend(outcome.files)
                created.update(outcome.created.files if outcome.created else {})
                relative = relative_source(path, plan.source)
                dependencies = outcome.dependencies
                entries[name] = {
                    "source": relative,
                    "dependencies": dependencies,
                    "hash": source_hash(plan.fingerprint, plan.source, relative, dependencies),
                    "files": [file.path.as_posix() for file in outcome.files],
                }
                kept = set(entries[name]["files"])
                for relative in previous.get(name, {}).get("files", []):
                    left_over = self.staging / relative  # a variant removed since
                    if relative not in kept and left_over.is_file():
                        left_over.unlink()
                if variants.get(name):
                    entries[name]["variants"] = {
                        locale: relative_source(variant, plan.source)
                        for locale, variant in sorted(variants[name].items())
                    }
                exports[name] = outcome.exports
            else:
                entries[name] = previous[name]
                exports[name] = read_exports((self.staging / f"{name}.py").read_text("utf-8"))
        files_to_write.extend(
            generate_package_init(
                exports,
                plan.source.resolve().name,
                localised=localised,
                variants={name: sorted(variants[name]) for name in templates if variants.get(name)},
            )
        )
        hashes: dict[str, str] = {
            relative: digest
            for relative, digest in plan.manifest.get("files", {}).items()
            if any(relative in entry["files"] for entry in entries.values())
        }
        written: list[Path] = []
        folders: set[Path] = set()
        for file in files_to_write:
            relative = file.path.as_posix()
            if relative in created:  # by the worker that compiled it
                written.append(plan.out / file.path)
                hashes[relative] = created[relative]
                continue
            target = self.staging / file.path
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            data = file.content.encode("utf-8")
            if not target.is_file() or target.read_bytes() != data:
                target.write_bytes(data)
                written.append(plan.out / file.path)
            hashes[relative] = sha256(data)
        removed_names: list[str] = []
        for name in removed:
            for relative in previous[name].get("files", []):
                stale = self.staging / relative
                if stale.is_file():
                    stale.unlink()
                    written.append(plan.out / relative)
            removed_names.append(name)
            self.progress(f"  removed    {name}")
        manifest: dict[str, object] = {
            "generator": "glasswork-email compile",
            "compiler": plan.fingerprint,
            "source": plan.source.resolve().name,
            "templates": entries,
            "files": dict(sorted(hashes.items())),
        }
        if localised:
            manifest["localised"] = True
        (self.staging / MANIFEST_NAME).write_text(
            json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        return written, removed_names
