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
