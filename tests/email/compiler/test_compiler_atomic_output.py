"""A compile replaces the whole package or leaves it exactly as it was; all errors in one run."""

from __future__ import annotations

from pathlib import Path

import pytest

from glasswork_email.compiler.project import ProjectCompiler
from tests.email.compiler.conftest import write_templates


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def many(count: int, broken: set[int]) -> dict[str, str]:
    """``count`` emails; those in ``broken`` use a filter nobody registered."""
    filters = {index: "nosuch" if index in broken else "upper" for index in range(count)}
    return {
        f"email_{index:02d}.html": f"<title>Email {index}</title><p>{{{{ name | {name} }}}}</p>"
        for index, name in filters.items()
    }


@pytest.mark.parametrize("count", [3, 16], ids=["inline", "forked workers"])
def test_every_templates_errors_come_back_in_one_run_whichever_worker_found_them(
    tmp_path: Path, count: int
) -> None:
    source = write_templates(tmp_path / "templates", many(count, broken={0, count - 1}))
    report = ProjectCompiler(source, tmp_path / "out", lambda _: None).compile()
    failed = sorted(error.location.file.name for error in report.errors)
    assert failed == ["email_00.html", f"email_{count - 1:02d}.html"]
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["templates"]  # no staging folder left


def test_a_failed_recompile_leaves_the_package_byte_for_byte_as_it_was(tmp_path: Path) -> None:
    source = write_templates(tmp_path / "templates", many(12, broken=set()))
    out = tmp_path / "out"
    assert not ProjectCompiler(source, out, lambda _: None).compile().errors
    before = snapshot(out)
    write_templates(source, many(12, broken={5}))  # one template breaks...
    (source / "email_03.html").write_text(
        "<title>Changed</title><p>{{ other }}</p>"
    )  # ...one is fine
    (source / "email_13.html").write_text("<title>New</title>")  # and one is new
    report = ProjectCompiler(source, out, lambda _: None, None).compile(force=True)
    assert [error.location.file.name for error in report.errors] == ["email_05.html"]
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "templates"]


def test_a_successful_recompile_replaces_the_package_whole(tmp_path: Path) -> None:
    source = write_templates(tmp_path / "templates", many(3, broken=set()))
    out = tmp_path / "out"
    ProjectCompiler(source, out, lambda _: None).compile()
    (source / "email_01.html").unlink()
    report = ProjectCompiler(source, out, lambda _: None).compile()
    assert report.removed == ["email_01"] and not report.errors
    assert not (out / "email_01.py").exists() and (out / "email_02.py").is_file()
    assert ProjectCompiler(source, out, lambda _: None).check().ok
