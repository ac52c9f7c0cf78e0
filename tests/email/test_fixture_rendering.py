"""``ScratchCompiler``: a templates folder compiled privately and rendered with its fixtures."""

from __future__ import annotations

import json
from pathlib import Path

from glasswork_email.fixture_rendering import ScratchCompiler

TEMPLATE = """<mjml><mj-head><mj-title>Hi {{ name }}</mj-title></mj-head>
<mj-body><mj-section><mj-column><mj-text>Hello {{ name }}, {{ count + 1 }}</mj-text>
</mj-column></mj-section></mj-body></mjml>
"""


def write(folder: Path) -> Path:
    folder.mkdir()
    (folder / "note.mjml").write_text(TEMPLATE)
    (folder / "note.json").write_text(json.dumps({"name": "Ada", "count": 1}))
    (folder / "note.typo.json").write_text('{"name": "Ada", "count": "many"}')
    (folder / "note.broken.json").write_text('{"name": "Ada",\n "count": }')
    return folder


def test_every_fixture_is_rendered_or_explained(tmp_path: Path) -> None:
    with ScratchCompiler(write(tmp_path / "templates")) as compiler:
        build = compiler.build()
        assert build.errors == []
        rendered = {r.fixture: r for r in build.render_all()}
    assert list(rendered) == ["default", "broken", "typo"]
    email = rendered["default"].email
    assert email is not None and email.subject == "Hi Ada" and "Hello Ada, 2" in email.text
    assert [str(e) for e in rendered["typo"].errors] == [
        "count: Input should be a valid integer, unable to parse string as an integer"
    ]
    assert rendered["broken"].errors[0].message.startswith("note.broken.json:2:11: not JSON")


def test_a_saved_change_is_seen_by_the_next_build_without_a_restart(tmp_path: Path) -> None:
    templates = write(tmp_path / "templates")
    with ScratchCompiler(templates) as compiler:
        first = compiler.build().render("note", "default").email
        (templates / "note.mjml").write_text(TEMPLATE.replace("Hello", "Goodbye"))
        second = compiler.build().render("note", "default").email
    assert first is not None and "Hello Ada" in first.html
    assert second is not None and "Goodbye Ada" in second.html and "Hello" not in second.html


def test_a_compile_error_is_reported_at_file_and_line_and_nothing_is_imported(
    tmp_path: Path,
) -> None:
    templates = write(tmp_path / "templates")
    (templates / "note.mjml").write_text(TEMPLATE.replace("{{ count + 1 }}", "{{ count + }}"))
    with ScratchCompiler(templates) as compiler:
        build = compiler.build()
    assert build.package is None
    (error,) = build.errors
    assert str(error.location).startswith(f"{templates / 'note.mjml'}:2:")
