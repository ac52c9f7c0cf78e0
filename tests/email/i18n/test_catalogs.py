"""Localised rendering: catalogs compiled from ``.po`` files, loaded with stdlib ``gettext``."""

from __future__ import annotations

import subprocess
import sys

import pytest

from glasswork_email.i18n.catalogs import Catalogs
from glasswork_email.i18n.tags import InvalidLocaleError
from tests.email.i18n.conftest import GREETING, POLISH, POLISH_PLURALS, Project


def _greeting_project(project: Project) -> Project:
    project.write({"greeting.html": GREETING})
    project.translate("pl", POLISH, POLISH_PLURALS)
    project.translate("fr", {"Hello %(name)s": "Bonjour %(name)s"})
    project.translate("fr-CA", {"Open": "Ouvrir (CA)"})
    return project


def test_polish_uses_its_three_plural_forms(project: Project) -> None:
    emails = _greeting_project(project).load()
    texts = {
        count: emails.templates.greeting.render({"name": "Ola", "items": count}, locale="pl").text
        for count in (1, 2, 5, 22, 25, 112)
    }
    assert "Masz jeden produkt." in texts[1]
    assert "Masz 2 produkty." in texts[2]
    assert "Masz 5 produktów." in texts[5]
    assert "Masz 22 produkty." in texts[22]
    assert "Masz 25 produktów." in texts[25]
    assert "Masz 112 produktów." in texts[112]  # 12-14 take the "many" form


def test_subject_html_and_text_are_all_translated(project: Project) -> None:
    emails = _greeting_project(project).load()
    rendered = emails.templates.greeting.render({"name": "Ola", "items": 1}, locale="pl")
    assert rendered.subject == "Cześć Ola"
    assert "<p>Dzięki, Ola!</p>\n<p>Otwórz</p>" in rendered.html
    assert "Dzięki, Ola!\n\nOtwórz" in rendered.text


def test_without_a_locale_the_email_is_in_the_default_language(project: Project) -> None:
    emails = _greeting_project(project).load()
    rendered = emails.templates.greeting.render({"name": "Ola", "items": 3})
    assert rendered.subject == "Hello Ola"
    assert "You have 3 items." in rendered.text


def test_fallback_chain_goes_region_then_language_then_default(project: Project) -> None:
    emails = _greeting_project(project).load()
    canadian = emails.templates.greeting.render({"name": "Zoé", "items": 1}, locale="fr-CA")
    assert canadian.subject == "Bonjour Zoé"  # not in fr-CA.po: from fr.po
    assert "Ouvrir (CA)" in canadian.text  # fr-CA's own
    assert "You have one item." in canadian.text  # in neither: the source text
    swiss = emails.templates.greeting.render({"name": "Zoé", "items": 1}, locale="fr-CH")
    assert swiss.subject == "Bonjour Zoé"
    assert "Open" in swiss.text
    german = emails.templates.greeting.render({"name": "Zoé", "items": 1}, locale="de-AT")
    assert german.subject == "Hello Zoé"  # no German catalog: the default


def test_values_are_escaped_in_html_inside_translations_but_not_in_text(project: Project) -> None:
    emails = _greeting_project(project).load()
    hostile = '<script>alert("x")</script>'
    rendered = emails.templates.greeting.render({"name": hostile, "items": 1}, locale="pl")
    assert "<script>" not in rendered.html
    assert "Dzięki, &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;!" in rendered.html
    assert f"Dzięki, {hostile}!" in rendered.text


def test_a_malformed_locale_is_an_error_naming_it(project: Project) -> None:
    emails = _greeting_project(project).load()
    with pytest.raises(InvalidLocaleError, match="invalid locale 'pl_'"):
        emails.templates.greeting.render({"name": "Ola", "items": 1}, locale="pl_")


def test_the_package_lists_its_locales_and_its_catalogs_are_mo_files(project: Project) -> None:
    emails = _greeting_project(project).load()
    catalogs = emails.templates.catalogs
    assert isinstance(catalogs, Catalogs)
    assert catalogs.default_locale == "en"
    assert catalogs.locales == ("fr", "fr-CA", "pl")
    assert sorted(p.name for p in (project.out / "_locales").iterdir()) == [
        "fr.mo",
        "fr_CA.mo",
        "pl.mo",
    ]


def test_choosing_a_locale_keeps_regional_formats_of_the_same_language_only() -> None:
    catalogs = Catalogs(package="x", default_locale="en", locales=("fr", "ar"), rtl_locales=("ar",))
    canadian = catalogs.choose("fr-CA")
    assert (canadian.language, canadian.formatting, canadian.direction) == ("fr", "fr-CA", "ltr")
    japanese = catalogs.choose("ja")
    assert (japanese.language, japanese.formatting) == ("en", "en")  # no Japanese dates in English
    egyptian = catalogs.choose("ar-EG")
    assert (egyptian.language, egyptian.formatting, egyptian.direction) == ("ar", "ar-EG", "rtl")
    assert catalogs.choose(None).language == "en"


def test_loading_catalogs_does_not_import_babel_or_the_compiler(project: Project) -> None:
    _greeting_project(project).compile()
    probe = (
        "import sys\n"
        f"sys.path.insert(0, {str(project.out.parent)!r})\n"
        f"from {project.package} import templates\n"
        "r = templates.greeting.render({'name': 'Ola', 'items': 5}, locale='pl')\n"
        "assert 'produktów' in r.text, r.text\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('babel', 'mjml')\n"
        "       or m.startswith(('glasswork_email.compiler', 'jinja2.ext'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)


RTL_LAYOUT = """\
<html lang="{{ email_locale }}" dir="{{ text_direction }}"><head><title>{{ _("Files") }}</title>
</head><body>
<p>{% trans count=files %}{{ count }} file{% pluralize %}{{ count }} files{% endtrans %}</p>
</body></html>
"""
ARABIC_FORMS = (
    "لا ملفات",
    "ملف واحد",
    "ملفان",
    "%(count)s ملفات",
    "%(count)s ملفًا",
    "%(count)s ملف",
)


def test_arabic_is_written_right_to_left_with_its_six_plural_forms(project: Project) -> None:
    project.write({"files.html": RTL_LAYOUT})
    project.translate("ar", {"Files": "الملفات"}, ARABIC_FORMS)
    emails = project.load()
    assert emails.templates.catalogs.rtl_locales == frozenset({"ar"})
    forms = {
        count: emails.templates.files.render({"files": count}, locale="ar-EG").text.strip()
        for count in (0, 1, 2, 3, 11, 100)
    }
    assert forms == {
        0: "لا ملفات",
        1: "ملف واحد",
        2: "ملفان",
        3: "3 ملفات",
        11: "11 ملفًا",
        100: "100 ملف",
    }
    arabic = emails.templates.files.render({"files": 2}, locale="ar-EG")
    assert arabic.html.startswith('<html lang="ar-EG" dir="rtl">')
    assert arabic.subject == "الملفات"
    english = emails.templates.files.render({"files": 2})
    assert english.html.startswith('<html lang="en" dir="ltr">')
    assert english.text.strip() == "2 files"
