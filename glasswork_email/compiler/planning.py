"""Planning a compile: which templates there are, and which of them need compiling again.

The generated package keeps a manifest (``_manifest.json``): a fingerprint of the compiler,
and per template the hash of its source and every file it used (partials, layouts, ``.txt``),
plus the hash of every file written. ``CompilePlan`` compares the templates folder with it:
an unchanged template is not recompiled, and ``check`` reports why a package is stale. Only
the standard library is imported, so the CLI answers "nothing to do" without loading Jinja,
pydantic or MJML.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from glasswork_email.compiler.errors import CompileError, SourceLocation

__all__ = [
    "COMPILER_CHANGED",
    "MANIFEST_NAME",
    "PARTIAL_FOLDERS",
    "SHARED_FILES",
    "TEMPLATE_SUFFIXES",
    "CompilePlan",
    "compiler_fingerprint",
    "discover_templates",
    "find_templates",
    "is_partial",
    "relative_source",
    "sha256",
    "source_hash",
]

MANIFEST_NAME = "_manifest.json"
"""The manifest file inside a generated package."""
TEMPLATE_SUFFIXES = (".mjml", ".html")
"""Email template file suffixes."""
PARTIAL_FOLDERS = frozenset({"partials", "layouts", "components", "includes"})
"""Folders whose files are pieces of emails, not emails."""
SHARED_FILES = ("__init__.py", "_runtime.py")
"""The package files every template shares."""
COMPILER_CHANGED = "the compiler (or Jinja / MJML) changed since the last compile"
"""Why every template is stale when the compiler's fingerprint changed."""
_COMPILER_FILES = ("glasswork_email/compiler", "glasswork_email/rendering.py")


def is_partial(path: Path, root: Path) -> bool:
    """Whether ``path`` (under ``root``) is a partial or layout rather than an email."""
    parts = path.relative_to(root).parts
    return any(part in PARTIAL_FOLDERS or part.startswith("_") for part in parts)


def discover_templates(root: Path) -> list[Path]:
    """The email templates under ``root`` (``*.mjml``, ``*.html``), partials and per-locale
    variants (``welcome.de.mjml``, see ``compiler.variants``) excluded, sorted.

    Parameters:
        root: the templates folder.
    """
    return [path for path in _template_files(root) if "." not in path.stem]


def _template_files(root: Path) -> list[Path]:
    found = [
        path
        for suffix in TEMPLATE_SUFFIXES
        for path in root.rglob(f"*{suffix}")
        if path.is_file() and not is_partial(path, root)
    ]
    return sorted(found)


def find_templates(
    source: Path, errors: list[CompileError], dotted: list[Path] | None = None
) -> dict[str, Path]:
    """The emails of ``source`` by name; misnamed or duplicate ones go to ``errors``.

    Parameters:
        source: the templates folder.
        errors: where problems go.
        dotted: where files named ``<name>.<something>.<suffix>`` go, when given: per-locale
            variants (``compiler.variants``) rather than emails (default: they are misnamed).
    """
    templates: dict[str, Path] = {}
    for path in _template_files(source):
        name = path.stem
        if dotted is not None and "." in name:
            dotted.append(path)
        elif name in templates:
            errors.append(
                CompileError(
                    SourceLocation(path, 1),
                    f"two templates are called {name!r} ({templates[name]} and {path}); rename one",
                )
            )
        elif not (name.isidentifier() and not name.startswith("_")):
            suggestion = "".join(c if c.isalnum() else "_" for c in name).strip("_")
            errors.append(
                CompileError(
                    SourceLocation(path, 1),
                    f"template name {name!r} must be a Python identifier: "
                    f"rename the file to {suggestion}{path.suffix}",
                )
            )
        else:
            templates[name] = path
    if not templates and not errors:
        errors.append(
            CompileError(
                SourceLocation(source, 1),
                "no email templates (*.mjml, *.html outside partials/ and layouts/) here",
            )
        )
    return templates


def sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data``."""
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


def relative_source(path: Path, folder: Path) -> str:
    """``path`` relative to the templates folder: the manifest must not depend on where the
    compiler ran (CI checks a package generated on a developer's machine)."""
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def source_hash(fingerprint: str, folder: Path, source: str, dependencies: list[str]) -> str:
    """The hash recorded for a template: the compiler, its source and the files it uses."""
    digest = hashlib.sha256(fingerprint.encode())
    for relative in [source, *sorted(dependencies)]:
        digest.update(relative.encode() + b"\0")
        try:
            digest.update((folder / relative).read_bytes())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()


@dataclass
class CompilePlan:
    """A templates folder next to the package compiled from it: what is up to date.

    Parameters:
        source: the templates folder.
        out: the generated package's directory.
        fingerprint: the compiler's (and configuration's) fingerprint.
        manifest: the package's manifest (``{}`` when there is none, or for ``--force``).
    """

    source: Path
    out: Path
    fingerprint: str
    manifest: dict[str, Any]

    @classmethod
    def load(cls, source: Path, out: Path, fingerprint: str, *, force: bool = False) -> CompilePlan:
        """The plan for ``source`` → ``out``, reading ``out``'s manifest unless ``force``."""
        return cls(source, out, fingerprint, {} if force else _load_manifest(out))

    def previous(self) -> dict[str, Any]:
        """The manifest's entries, by template name."""
        entries = self.manifest.get("templates", {})
        return entries if isinstance(entries, dict) else {}

    def why_stale(
        self, name: str, path: Path, variants: dict[str, Path] | None = None
    ) -> str | None:
        """Why template ``name``'s generated modules are out of date, or ``None``.

        Parameters:
            name: the template.
            path: its file.
            variants: its per-locale variants' files, by locale (default none).
        """
        entry = self.previous().get(name)
        if not isinstance(entry, dict):
            return f"{path}: new, never compiled"
        if self.manifest.get("compiler") != self.fingerprint:
            return COMPILER_CHANGED
        recorded = {
            locale: relative_source(variant, self.source)
            for locale, variant in (variants or {}).items()
        }
        if entry.get("variants", {}) != recorded:
            return f"{path}: its per-locale variants changed since the last compile"
        relative = relative_source(path, self.source)
        dependencies = entry.get("dependencies", [])
        expected = source_hash(self.fingerprint, self.source, relative, dependencies)
        if entry.get("source") != relative or entry.get("hash") != expected:
            return f"{path}: changed since the last compile"
        edited = [file for file in entry.get("files", []) if not self.file_intact(file)]
        if edited:
            files = ", ".join(str(self.out / file) for file in edited)
            return (
                f"{files}: the generated file was edited or removed (generated from {path}; "
                "generated files are never edited by hand)"
            )
        return None

    def file_intact(self, relative: str) -> bool:
        """Whether the package file ``relative`` is as the manifest recorded it."""
        try:
            content = (self.out / relative).read_bytes()
        except OSError:
            return False
        return bool(self.manifest.get("files", {}).get(relative) == sha256(content))

    def shared_intact(self) -> bool:
        """Whether the files every template shares are as recorded."""
        return all(self.file_intact(shared) for shared in SHARED_FILES)


def _load_manifest(out: Path) -> dict[str, Any]:
    try:
        loaded = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}
