"""``compile`` and ``compile --check`` with catalogs: missing, fuzzy and wrong translations."""

from __future__ import annotations

from pathlib import Path

from glasswork_email.i18n.catalog_build import placeholders
from tests.email.i18n.conftest import GREETING, POLISH, POLISH_PLURALS, Project


def _msgid_line(path: Path, message: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line == f'msgid "{message}"')


def _edit(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert old in content
    path.write_text(content.replace(old, new), encoding="utf-8")


def test_placeholders_are_the_named_python_format_fields() -> None:
    assert placeholders("Hi %(name)s, 100%% of %(count)d") == {"name", "count"}
    assert placeholders("no fields") == frozenset()


def test_a_translation_with_other_placeholders_is_refused_at_its_po_line(project: Project) -> None:
    project.write({"greeting.html": GREETING})
    po = project.translate("pl", {**POLISH, "Hello %(name)s": "Cześć %(imie)s"}, POLISH_PLURALS)
    report = project.compile()
    line = _msgid_line(po, "Hello %(name)s")
    assert [str(error) for error in report.errors] == [
        f"{po}:{line}:1: the pl translation of message 'Hello %(name)s' has placeholders "
        "{%(imie)s} but the source string has {%(name)s}: translate the words, keep every "
        "%(name)s as it is"
    ]
    assert not project.out.exists()  # nothing written


def test_a_translation_that_drops_a_placeholder_is_refused(project: Project) -> None:
    project.write({"greeting.html": GREETING})
    po = project.translate("pl", {**POLISH, "Thanks, %(who)s!": "Dzięki!"}, POLISH_PLURALS)
    report = project.compile()
    assert len(report.errors) == 1
    line = _msgid_line(po, "Thanks, %(who)s!")
    assert str(report.errors[0]).startswith(f"{po}:{line}:")
    assert "has placeholders none but the source string has {%(who)s}" in str(report.errors[0])


def test_a_plural_form_may_leave_out_the_count_but_not_invent_one(project: Project) -> None:
    project.write({"greeting.html": GREETING})
    singular_without_count = ("Masz jeden produkt.", "Masz %(count)s produkty.", "%(n)s!")
    project.translate("pl", POLISH, singular_without_count)
    errors = [str(error) for error in project.compile().errors]
    assert len(errors) == 1
    assert "has placeholders {%(n)s} but the source string has {%(count)s}" in errors[0]


def test_missing_and_fuzzy_translations_fall_back_with_a_warning_per_locale(
    project: Project,
) -> None:
    project.write({"greeting.html": GREETING})
    po = project.translate("pl", {"Hello %(name)s": "Cześć %(name)s"}, POLISH_PLURALS)
    _edit(
        po,
        '#, python-format\nmsgid "Hello %(name)s"',
        '#, fuzzy, python-format\nmsgid "Hello %(name)s"',
    )
    report = project.compile()
    assert not report.errors
    warnings = sorted(str(warning) for warning in report.warnings)
    hello = _msgid_line(po, "Hello %(name)s")
    open_ = _msgid_line(po, "Open")
    thanks = _msgid_line(po, "Thanks, %(who)s!")
    assert warnings == sorted(
        [
            f"{po}:{hello}:1: message 'Hello %(name)s' is "
            "fuzzy in pl: review it and remove the flag (falls back)",
            f"{po}:{open_}:1: message 'Open' (context 'button') is not "
            "translated to pl (falls back)",
            f"{po}:{thanks}:1: message 'Thanks, %(who)s!' is not translated to pl (falls back)",
        ]
    )
    emails = project.load()
    rendered = emails.templates.greeting.render({"name": "Ola", "items": 2}, locale="pl")
    assert rendered.subject == "Hello Ola"  # the fuzzy one is not used
    assert "Masz 2 produkty." in rendered.text


def test_with_missing_translation_fail_they_are_errors(project: Project) -> None:
    project.configure('missing_translation = "fail"')
    project.write({"greeting.html": GREETING})
    project.translate("pl", POLISH)  # no plural forms
    report = project.compile()
    assert [error.message for error in report.errors] == [
        "message 'You have one item.' is not translated to pl (missing_translation = 'fail')"
    ]


def test_a_message_added_to_a_template_but_not_to_the_po_is_reported_at_the_template(
    project: Project,
) -> None:
    project.write({"greeting.html": GREETING})
    project.translate("pl", POLISH, POLISH_PLURALS)
    project.write(
        {"greeting.html": GREETING.replace("</body>", "<p>{{ _('New line') }}</p>\n</body>")}
    )
    report = project.compile()
    assert [str(warning) for warning in report.warnings] == [
        f"{project.templates / 'greeting.html'}:6:1: message 'New line' is not in "
        f"{project.templates / 'locales' / 'pl.po'} (pl; falls back): run "
        "`glasswork-email i18n update pl`"
    ]


def test_check_reports_a_catalog_changed_since_the_last_compile(project: Project) -> None:
    project.write({"greeting.html": GREETING})
    po = project.translate("pl", POLISH, POLISH_PLURALS)
    assert not project.compile().errors
    assert project.check().ok
    _edit(po, 'msgstr "Otwórz"', 'msgstr "Otwórz teraz"')
    stale = project.check().stale
    assert stale == [
        f"{project.out / '_locales' / 'pl.mo'} is out of date with the catalogs in locales/"
    ]
    assert not project.compile().errors
    assert project.check().ok


def test_a_removed_catalog_is_removed_from_the_package(project: Project) -> None:
    project.write({"greeting.html": GREETING})
    po = project.translate("pl", POLISH, POLISH_PLURALS)
    project.compile()
    po.unlink()
    assert project.check().stale == [
        f"{project.out / '_i18n.py'} is out of date with the catalogs in locales/",
        f"{project.out / '_locales' / 'pl.mo'} is left over (no such catalog now)",
    ]
    project.compile()
    assert not (project.out / "_locales" / "pl.mo").exists()
    assert project.check().ok


def test_configured_locales_without_a_catalog_are_an_error(project: Project) -> None:
    project.configure('default_locale = "en-GB"\nlocales = ["en-GB", "de"]')
    project.write({"greeting.html": GREETING})
    report = project.compile()
    assert [error.message for error in report.errors] == [
        "no catalog for locale 'de': run `glasswork-email i18n init de`"
    ]


def test_a_wrong_setting_is_an_error_naming_the_file_and_key(project: Project) -> None:
    project.configure('missing_translation = "ignore"')
    project.write({"greeting.html": GREETING})
    report = project.compile()
    assert [error.message for error in report.errors] == [
        f"{project.root / 'pyproject.toml'}: missing_translation must be 'fail' or 'fallback', "
        "not 'ignore'"
    ]
    project.configure('default_locale = "en-"')
    assert "invalid locale 'en-'" in project.compile().errors[0].message


def test_a_project_without_locales_compiles_no_catalogs(project: Project) -> None:
    project.write({"plain.html": "<html><head><title>Hi {{ name }}</title></head></html>"})
    emails = project.load()
    assert not (project.out / "_i18n.py").exists()
    assert emails.templates.catalogs is None
    assert emails.templates.plain.render({"name": "A"}).subject == "Hi A"
