"""Create generated files where none exist yet, from the compiling process, and take them back.

Creating a file costs this machine's kernel about as much as compiling a small template, and a
directory lets one process create a file at a time. Each compiler worker therefore creates
the files of its own templates as soon as they are generated, while the other workers are
still compiling, instead of the parent writing them all at the end. A file that already
exists is left to the parent (it overwrites only what changed, once the whole compile has
succeeded); a file created here did not exist before, so deleting it, and the folders created
for it, restores the package exactly when another template fails.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from glasswork_email.compiler.codegen import GeneratedFile

__all__ = ["CreatedFiles", "create_new_files", "remove_created"]

logger = logging.getLogger(__name__)


@dataclass
class CreatedFiles:
    """What ``create_new_files`` created (picklable: crosses process boundaries).

    Parameters:
        files: path relative to the package → SHA-256 (hex) of the content written.
        folders: the folders created (the package's, ``_jinja``), outermost first.
    """

    files: dict[str, str] = field(default_factory=dict)
    folders: list[Path] = field(default_factory=list)


def create_new_files(out: Path, files: Iterable[GeneratedFile], created: CreatedFiles) -> None:
    """Create each of ``files`` under ``out`` that does not exist yet; record it in ``created``.

    Parameters:
        out: the generated package's directory (created when missing).
        files: the files to create.
        created: filled with what was created.
    """
    ready: set[Path] = set()
    for file in files:
        target = out / file.path
        if target.parent not in ready:
            _make_folder(target.parent, created)
            ready.add(target.parent)
        data = file.content.encode("utf-8")
        try:
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue  # the parent compares it once every template compiled
        try:
            os.write(descriptor, data)
        finally:
            os.close(descriptor)
        created.files[file.path.as_posix()] = hashlib.sha256(data).hexdigest()


def _make_folder(folder: Path, created: CreatedFiles) -> None:
    if folder.is_dir():
        return
    _make_folder(folder.parent, created)
    try:
        folder.mkdir()
    except FileExistsError:  # another worker made it first: it records it
        return
    created.folders.append(folder)


def remove_created(out: Path, created: Iterable[CreatedFiles]) -> None:
    """Delete the files and then the folders that ``create_new_files`` created.

    Parameters:
        out: the generated package's directory.
        created: what each worker created.
    """
    folders: list[Path] = []
    for record in created:
        for relative in record.files:
            (out / relative).unlink(missing_ok=True)
        folders.extend(record.folders)
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        try:
            folder.rmdir()
        except OSError:
            logger.warning("could not remove the folder %s created by this compile", folder)
