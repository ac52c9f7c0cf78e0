"""What an unchanged compile checks instead of rebuilding the catalogs: a record of their inputs.

Building catalogs extracts the messages of every template (Babel's extractor: about 35 ms a
template) and reads every ``.po`` file. The package keeps ``_locales/inputs.sha256``: one digest
of everything the build read (each file of the templates folder, the compile settings and the
compiler's fingerprint) and the digest of each catalog file it wrote. When both still match, the
files already in the package are the build's result, and neither extraction nor Babel's import
is needed. Only the standard library is imported here.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from glasswork_email.i18n.settings import CATALOG_FOLDER

__all__ = ["INPUTS_RECORD", "INPUT_SUFFIXES", "input_digest", "read_unchanged", "record"]

INPUTS_RECORD = f"{CATALOG_FOLDER}/inputs.sha256"
"""The record's path in the generated package."""
INPUT_SUFFIXES = (".mjml", ".html", ".txt", ".po")
"""The files a catalog build reads: templates, partials and layouts (messages are extracted
from them) and catalogs; sample contexts and other files are not inputs."""


def input_digest(templates: Path, table: dict[str, Any], fingerprint: str) -> str:
    """One digest of every input of a catalog build from ``templates``.

    Parameters:
        templates: the templates folder; each of its files with a suffix in ``INPUT_SUFFIXES``
            counts, by relative path and content, so a changed template, layout or ``.po``
            file shows.
        table: the compile configuration's table (localisation settings included).
        fingerprint: the compiler's fingerprint (a new compiler rebuilds the catalogs).
    """
    digest = hashlib.sha256(fingerprint.encode())
    digest.update(json.dumps(table, sort_keys=True, default=str).encode())
    for path in sorted(templates.rglob("*")):  # every file extraction reads, as it finds them
        relative = path.relative_to(templates)
        if path.suffix in INPUT_SUFFIXES and path.is_file():
            digest.update(b"\0" + relative.as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def record(digest: str, files: dict[str, bytes]) -> bytes:
    """The record's content: the input digest, then each catalog file's digest and path."""
    lines = [digest] + [
        f"{hashlib.sha256(content).hexdigest()}  {relative}"
        for relative, content in sorted(files.items())
    ]
    return ("\n".join(lines) + "\n").encode()


def read_unchanged(out: Path, digest: str) -> dict[str, bytes] | None:
    """The catalog files in ``out`` (the record among them) when its record says they were built
    from inputs of ``digest`` and none was edited since; ``None`` otherwise.

    Parameters:
        out: the generated package.
        digest: ``input_digest`` of the templates folder now.
    """
    try:
        lines = (out / INPUTS_RECORD).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or lines[0] != digest:
        return None
    files: dict[str, bytes] = {}
    for line in lines[1:]:
        expected, _, relative = line.partition("  ")
        try:
            content = (out / relative).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(content).hexdigest() != expected:
            return None
        files[relative] = content
    files[INPUTS_RECORD] = (out / INPUTS_RECORD).read_bytes()
    return files
