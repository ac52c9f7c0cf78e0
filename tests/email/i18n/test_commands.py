"""``glasswork-email i18n extract / init / update``: the ``.pot`` and ``.po`` files."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from glasswork_email.cli import main
from tests.email.i18n.conftest import GREETING, Project


def _messages(path: Path) -> dict[object, tuple[object, list[tuple[str, int]]]]:
    with path.open("rb") as file:
        catalog = read_po(file)
    return {m.id: (m.string, m.locations) for m in catalog if m.id}


def test_extract_writes_every_message_with_its_file_and_line(project: Project) -> None:
    project.write(
        {
            "greeting.html": GREETING,
            "layouts/base.mjml": "<mj-text>{{ _('Sent by Shop') }}</mj-text>\n",
            "greeting.txt": "\n{% trans %}Plain hello{% endtrans %}\n",
        }
    )
    assert main(["i18n", "extract", "--templates", str(project.templates)]) == 0
    messages = _messages(project.templates / "locales" / "messages.pot")
    assert messages == {
        "Hello %(name)s": ("", [("greeting.html", 1)]),
        ("You have one item.", "You have %(count)s items."): (("", ""), [("greeting.html", 2)]),
        "Thanks, %(who)s!": ("", [("greeting.html", 4)]),
        "Open": ("", [("greeting.html", 5)]),
        "Plain hello": ("", [("greeting.txt", 2)]),
        "Sent by Shop": ("", [("layouts/base.mjml", 1)]),
    }


def test_extract_twice_writes_the_same_file(project: Project) -> None:
    project.write({"greeting.html": GREETING})
    main(["i18n", "extract", "--templates", str(project.templates)])
    first = (project.templates / "locales" / "messages.pot").read_bytes()
    main(["i18n", "extract", "--templates", str(project.templates)])
    assert (project.templates / "locales" / "messages.pot").read_bytes() == first


def test_init_creates_a_po_with_the_locale_s_plural_rule(project: Project) -> None:
    project.write({"greeting.html": GREETING})
    assert main(["i18n", "init", "pl", "--templates", str(project.templates)]) == 0
    po = project.templates / "locales" / "pl.po"
    text = po.read_text(encoding="utf-8")
    assert '"Language: pl\\n"' in text
    assert "nplurals=3;" in text
    assert 'msgstr[2] ""' in text


def test_init_refuses_an_existing_catalog_and_a_malformed_locale(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write({"greeting.html": GREETING})
    main(["i18n", "init", "fr", "--templates", str(project.templates)])
    assert main(["i18n", "init", "fr", "--templates", str(project.templates)]) == 1
    assert "fr.po exists: run `glasswork-email i18n update` instead" in capsys.readouterr().err
    assert main(["i18n", "init", "fr_", "--templates", str(project.templates)]) == 1
    assert "invalid locale 'fr_'" in capsys.readouterr().err


def test_update_adds_new_messages_keeps_translations_and_marks_look_alikes_fuzzy(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write({"greeting.html": GREETING})
    po = project.translate("fr", {"Thanks, %(who)s!": "Merci, %(who)s !", "Open": "Ouvrir"})
    project.write(
        {
            "greeting.html": GREETING.replace("Thanks, %(who)s!", "Thanks a lot, %(who)s!")
            + "{{ _('Brand new') }}\n"
        }
    )
    assert main(["i18n", "update", "--templates", str(project.templates)]) == 0
    assert f"updated {po}: 2 new, 0 obsolete" in capsys.readouterr().out
    with po.open("rb") as file:
        catalog = read_po(file)
    opened = catalog.get("Open", "button")
    changed = catalog.get("Thanks a lot, %(who)s!")
    new = catalog.get("Brand new")
    assert opened is not None and changed is not None and new is not None
    assert opened.string == "Ouvrir"
    assert changed.fuzzy and changed.string == "Merci, %(who)s !"
    assert new.string == ""
    assert "Thanks, %(who)s!" in catalog.obsolete or catalog.get("Thanks, %(who)s!") is None
