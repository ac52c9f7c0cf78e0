"""Rendered parts translate exactly the messages extraction sees, whatever the text derivation does.

``glasswork_email.i18n.message_ids``: ``{% trans %}`` is parsed with Jinja's ``trimmed`` policy
when compiling and when extracting, and a part that would look up a message extraction never
saw is a compile error at the block it comes from.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment

from glasswork_email.i18n.extract import extract_messages
from glasswork_email.i18n.message_ids import messages_of
from tests.email.i18n.conftest import Project

# The trans block spans lines and sits between words: the plain-text derivation collapses its
# whitespace and moves the space before it inside it, which changed its message id.
REFLOWED = """\
<html><head><title>{% trans %}Your trial{% endtrans %}</title></head><body>
<p>Hello! {% trans count=days %}
    Your free trial lasts
    {{ count }} day.
  {% pluralize %}
    Your free trial lasts
    {{ count }} days.
  {% endtrans %} {% trans %}See you
  soon.{% endtrans %}</p>
</body></html>
"""
FRENCH = {"Your trial": "Votre essai", "See you soon.": "À bientôt."}
FRENCH_PLURALS = (  # CLDR's French: one, many (millions: "1 000 000 de jours"), other
    "Votre essai dure %(count)s jour.",
    "Votre essai dure %(count)s de jours.",
    "Votre essai dure %(count)s jours.",
)


def test_extraction_normalises_whitespace_around_line_breaks(project: Project) -> None:
    project.write({"trial.html": REFLOWED})
    ids = {message.id for message in extract_messages(project.templates) if message.id}
    assert ids == {
        "Your trial",
        ("Your free trial lasts %(count)s day.", "Your free trial lasts %(count)s days."),
        "See you soon.",
    }


def test_a_block_the_text_part_reflows_is_translated_in_every_part(project: Project) -> None:
    project.write({"trial.html": REFLOWED})
    project.translate("fr", FRENCH, FRENCH_PLURALS)
    emails = project.load()
    rendered = emails.templates.trial.render({"days": 3}, locale="fr")
    assert rendered.subject == "Votre essai"
    assert rendered.text.strip() == "Hello! Votre essai dure 3 jours. À bientôt."
    assert "Hello! Votre essai dure 3 jours. À bientôt.</p>" in rendered.html
    assert project.check().ok


def test_a_message_the_text_part_changes_is_a_compile_error_at_its_block(
    project: Project,
) -> None:
    project.write(
        {
            "terms.html": (
                "<html><head><title>Terms</title></head><body>\n"
                "<p>Read {% trans %}our terms &amp; conditions{% endtrans %}.</p>\n"
                "</body></html>\n"
            )
        }
    )
    project.translate("fr", {"our terms &amp; conditions": "nos conditions"})
    report = project.compile()
    assert [str(error) for error in report.errors] == [
        f"{project.templates / 'terms.html'}:2:1: the plain-text part translates message "
        "'our terms & conditions', which extraction does not see (the template's is message "
        "'our terms &amp; conditions'), so no catalog could translate it: keep markup, "
        "entities and repeated spaces out of {% trans %} blocks, or write a sibling .txt "
        "template"
    ]
    assert not project.out.exists()  # nothing written
    assert not project.check().ok


def test_a_stale_package_whose_new_text_part_changes_a_message_fails_check_and_compile(
    project: Project,
) -> None:
    project.write({"trial.html": REFLOWED})
    project.load()
    path = project.templates / "trial.html"
    path.write_text(
        path.read_text("utf-8").replace("See you\n  soon.", "See you &amp; soon."), "utf-8"
    )
    check = project.check()
    assert any("trial.html: changed since the last compile" in reason for reason in check.stale)
    errors = [str(error) for error in project.compile().errors]
    assert len(errors) == 1 and "translates message 'See you & soon.'" in errors[0]


def test_messages_of_reads_every_gettext_form_and_skips_computed_ones() -> None:
    environment = Environment(extensions=["jinja2.ext.i18n"])
    parsed = environment.parse(
        '{{ _("One") }}{{ gettext(name) }}{{ pgettext("menu", "Open") }}\n'
        '{{ ngettext("a file", "%(num)s files", n) }}{{ npgettext("x", "a", "b", n) }}'
    )
    assert messages_of(parsed) == [
        (1, (None, "One")),
        (1, ("menu", "Open")),
        (2, (None, ("a file", "%(num)s files"))),
        (2, ("x", ("a", "b"))),
    ]


def test_the_shipped_welcome_email_lays_out_its_plural_block_on_several_lines() -> None:
    source = (Path(__file__).parents[3] / "templates" / "welcome.mjml").read_text("utf-8")
    assert "{% trans count=trial_days %}\n" in source
