"""A project without localisation may still mark strings: they render in the source language."""

from __future__ import annotations

from tests.email.i18n.conftest import GREETING, Project


def test_marked_strings_render_as_written_without_catalogs(project: Project) -> None:
    project.write({"greeting.html": GREETING})
    emails = project.load()
    assert emails.templates.greeting.catalogs is None
    rendered = emails.templates.greeting.render({"name": "Ada <b>", "items": 3})
    assert rendered.subject == "Hello Ada <b>"
    assert "You have 3 items." in rendered.html
    assert "Thanks, Ada &lt;b&gt;!" in rendered.html  # variables still escaped in HTML
    assert "Open" in rendered.text
    assert (
        "You have one item." in emails.templates.greeting.render({"name": "Ada", "items": 1}).text
    )


def test_marked_strings_render_for_a_requested_locale_without_catalogs(project: Project) -> None:
    project.write({"greeting.html": GREETING})
    emails = project.load()
    rendered = emails.templates.greeting.render({"name": "Ada", "items": 2}, locale="de")
    assert "You have 2 items." in rendered.text


def test_a_package_without_catalogs_loads_no_catalog_runtime(project: Project) -> None:
    import subprocess
    import sys

    project.write({"greeting.html": GREETING})
    project.load()
    probe = (
        "import sys\n"
        f"sys.path.insert(0, {str(project.out.parent)!r})\n"
        f"from {project.package} import templates\n"
        "r = templates.greeting.render({'name': 'Ada', 'items': 2})\n"
        "assert 'You have 2 items.' in r.text, r.text\n"
        "loaded = [m for m in ('gettext', 'glasswork_email.i18n.catalogs') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)
