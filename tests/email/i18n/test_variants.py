"""Per-locale variants: ``welcome.de.html`` is the ``welcome`` email for ``de``, one context model.

``glasswork_email.compiler.variants`` (discovery, the context check) and the runtime's choice
(``CompiledTemplate.variant_for``): a variant is chosen through the payload locale's fallback
chain, its words come from the catalogs like the main template's.
"""

from __future__ import annotations

import pytest

from glasswork_email.i18n.extract import extract_messages
from tests.email.i18n.conftest import Project

FOOTER = "<p>{% trans %}Sent by Shop{% endtrans %}</p>\n"
MAIN = """\
<html lang="{{ email_locale }}"><head><title>{% trans %}Welcome{% endtrans %}</title></head>
<body><p>{% trans name=user.first_name %}Hello {{ name }}!{% endtrans %}</p>
{% if trial_days %}<p>{{ trial_days }}</p>{% endif %}
<p>{{ total }}</p>
{% include "partials/footer.html" %}</body></html>
"""
GERMAN_LAYOUT = """\
<html lang="{{ email_locale }}"><head><title>Willkommen</title></head>
<body><h1>Hallo {{ user.first_name }}!</h1>
<p>{% trans %}Your account is ready.{% endtrans %}</p>
{% include "partials/footer.html" %}</body></html>
"""
GERMAN = {"Sent by Shop": "Gesendet von Shop", "Your account is ready.": "Ihr Konto ist bereit."}
CONTEXT = {"user": {"first_name": "Ada"}, "total": "9.50"}


def _project(
    project: Project, variant: str = GERMAN_LAYOUT, name: str = "welcome.de.html"
) -> Project:
    project.write({"welcome.html": MAIN, "partials/footer.html": FOOTER, name: variant})
    project.translate("de", GERMAN)
    project.translate("fr", {"Welcome": "Bienvenue", "Sent by Shop": "Envoyé par Shop"})
    return project


def _errors(project: Project) -> list[str]:
    return [str(error) for error in project.compile().errors]


def test_a_variant_is_part_of_its_email_not_an_email(project: Project) -> None:
    emails = _project(project).load()
    assert emails.templates.names() == ("welcome",)
    assert tuple(emails.templates.welcome.variants) == ("de",)
    assert "variants=('de',)" in repr(emails.templates.welcome)
    module = (project.out / "welcome.py").read_text("utf-8")
    assert 'LocaleVariant("de", has_preheader=False),' in module
    assert "Per-locale variants: de." in module
    registry = (project.out / "__init__.py").read_text("utf-8")
    assert '    """With per-locale variants: de."""' in registry
    assert (project.out / "_jinja" / "welcome__html__de.py").is_file()
    assert project.check().ok


def test_the_payload_locale_picks_the_variant_through_its_fallback_chain(
    project: Project,
) -> None:
    emails = _project(project).load()
    welcome = emails.templates.welcome
    austrian = welcome.render(CONTEXT, locale="de-AT")
    assert austrian.subject == "Willkommen"
    assert "<h1>Hallo Ada!</h1>" in austrian.html
    assert "Ihr Konto ist bereit." in austrian.text  # the variant's words from de.po
    assert "Gesendet von Shop" in austrian.text  # and the shared partial's
    assert austrian.html.startswith('<html lang="de-AT">')
    assert welcome.render(CONTEXT, locale="de").subject == "Willkommen"
    french = welcome.render(CONTEXT, locale="fr-CA")  # no fr variant: the main template
    assert french.subject == "Bienvenue"
    assert "Envoyé par Shop" in french.text
    english = welcome.render(CONTEXT)
    assert english.subject == "Welcome"
    assert "Hello Ada!" in english.text
    assert welcome.variant_for("de-AT", "en") == "de"
    assert welcome.variant_for("fr", "en") is None


def test_a_variant_for_a_region_wins_over_its_language(project: Project) -> None:
    _project(project)
    project.write({"welcome.de-AT.html": GERMAN_LAYOUT.replace("Willkommen", "Servus")})
    project.translate("de-AT", {})
    emails = project.load()
    welcome = emails.templates.welcome
    assert welcome.render(CONTEXT, locale="de-AT").subject == "Servus"
    assert welcome.render(CONTEXT, locale="de-CH").subject == "Willkommen"
    assert (project.out / "_jinja" / "welcome__html__de_AT.py").is_file()


def test_extraction_includes_the_variants_messages(project: Project) -> None:
    _project(project)
    messages = {message.id: message.locations for message in extract_messages(project.templates)}
    assert messages["Your account is ready."] == [("welcome.de.html", 3)]


def test_a_variant_reading_a_field_the_email_lacks_is_an_error_naming_it(
    project: Project,
) -> None:
    variant = GERMAN_LAYOUT.replace("</h1>", " {{ user.last_name }}</h1>")
    errors = _errors(_project(project, variant))
    path = project.templates / "welcome.de.html"
    assert errors == [
        f"{path}:2:1: `user.last_name`: the de variant reads it, but welcome.html has no "
        "such field and a variant shares its email's context: use or declare it in "
        "welcome.html, or leave it out of the variant"
    ]
    assert not project.out.exists()


def test_a_variant_using_a_field_with_another_type_is_an_error(project: Project) -> None:
    variant = GERMAN_LAYOUT.replace("</h1>", "</h1><p>{{ total + 1 }}</p>")
    [error] = _errors(_project(project, variant))
    assert error.startswith(f"{project.templates / 'welcome.de.html'}:2:")
    assert "`total` is `int` in the de variant but `str` in welcome.html" in error


def test_a_variant_using_an_optional_field_unguarded_is_an_error(project: Project) -> None:
    variant = GERMAN_LAYOUT.replace("</h1>", "</h1><p>{{ trial_days * 2 }}</p>")
    [error] = _errors(_project(project, variant))
    assert (
        "`trial_days` may be absent (welcome.html guards it: None by default), but the de " in error
    )


def test_a_variant_may_print_or_test_any_field_of_the_email(project: Project) -> None:
    variant = GERMAN_LAYOUT.replace(
        "</h1>", "</h1>{% if trial_days %}<p>{{ trial_days }}</p>{% endif %}{{ total }}"
    )
    emails = _project(project, variant).load()
    rendered = emails.templates.welcome.render({**CONTEXT, "trial_days": "14"}, locale="de")
    assert "<p>14</p>9.50" in rendered.html


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "welcome.es.html",
            "welcome.es.html is a variant for es, which is not one of the "
            "project's translated locales (de, fr): add locales/es.po (`glasswork-email i18n "
            "init es`) or list it in `locales`, or rename the file",
        ),
        (
            "welcome.en.html",
            "welcome.en.html: en is the project's default locale, whose "
            "'welcome' email is welcome.html itself: merge the two",
        ),
        (
            "goodbye.de.html",
            "goodbye.de.html is a de variant of 'goodbye', but there is no "
            "goodbye.mjml or goodbye.html: add the main template, or rename the file",
        ),
        (
            "welcome.v2!.html",
            "welcome.v2!.html: 'v2!' is not a locale; a template name is a "
            "Python identifier, and a per-locale variant is named <email>.<locale>.html "
            "(welcome.de.html): rename the file",
        ),
    ],
)
def test_a_file_that_is_no_valid_variant_is_an_error(
    project: Project, name: str, message: str
) -> None:
    errors = _errors(_project(project, name=name))
    assert errors == [f"{project.templates / name}:1:1: {message}"]


def test_two_variants_for_one_locale_are_an_error(project: Project) -> None:
    _project(project)
    project.write({"welcome.de_de.html": GERMAN_LAYOUT, "welcome.de-DE.html": GERMAN_LAYOUT})
    project.translate("de-DE", {})
    errors = _errors(project)
    assert len(errors) == 1 and "two de-DE variants of 'welcome'" in errors[0]


def test_adding_changing_and_removing_a_variant_recompiles_its_email(project: Project) -> None:
    project.write({"welcome.html": MAIN, "partials/footer.html": FOOTER})
    project.translate("de", GERMAN)
    project.load()
    assert project.check().ok
    variant = project.templates / "welcome.de.html"
    variant.write_text(GERMAN_LAYOUT, "utf-8")
    stale = project.check().stale
    assert stale == [
        f"{project.templates / 'welcome.html'}: its per-locale variants changed since the "
        "last compile"
    ]
    assert project.compile().compiled == ["welcome"]
    variant.write_text(GERMAN_LAYOUT.replace("Willkommen", "Hallo"), "utf-8")
    assert any("changed since the last compile" in reason for reason in project.check().stale)
    assert project.compile().compiled == ["welcome"]
    variant.unlink()
    assert project.compile().compiled == ["welcome"]
    assert not (project.out / "_jinja" / "welcome__html__de.py").exists()
    assert project.check().ok
