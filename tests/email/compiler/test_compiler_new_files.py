"""Specification of ``glasswork_email.compiler.new_files``."""

from __future__ import annotations

import hashlib
from pathlib import Path

from glasswork_email.compiler.codegen import GeneratedFile
from glasswork_email.compiler.new_files import CreatedFiles, create_new_files, remove_created


def test_only_missing_files_are_created_and_recorded_with_their_hash(tmp_path: Path) -> None:
    out = tmp_path / "emails"
    (out / "_jinja").mkdir(parents=True)
    (out / "kept.py").write_text("edited by someone")
    created = CreatedFiles()
    create_new_files(
        out,
        [
            GeneratedFile(Path("kept.py"), "new kept"),
            GeneratedFile(Path("_jinja/new.py"), "new é"),
        ],
        created,
    )
    assert (out / "kept.py").read_text() == "edited by someone"
    assert (out / "_jinja/new.py").read_text(encoding="utf-8") == "new é"
    assert created.files == {"_jinja/new.py": hashlib.sha256("new é".encode()).hexdigest()}
    assert created.folders == []


def test_removing_what_was_created_restores_the_folder_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "emails"
    created = CreatedFiles()
    create_new_files(
        out,
        [GeneratedFile(Path("a.py"), "a"), GeneratedFile(Path("_jinja/a__html.py"), "b")],
        created,
    )
    assert created.folders == [out, out / "_jinja"]
    remove_created(out, [created])
    assert not out.exists()
