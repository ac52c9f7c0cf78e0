"""Specification of ``glasswork_email.i18n.extract``: the messages of a templates folder are
exactly those Jinja's own Babel extractor finds, file by file and line by line."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file

from glasswork_email.i18n.extract import TEMPLATE_FILE_SUFFIXES, extract_messages

REPO = Path(__file__).resolve().parents[3]

JINJA_OPTIONS = {"extensions": "", "newstyle_gettext": "true", "trimmed": "true"}
"""How the project configures Jinja's Babel extractor (``jinja2.ext.babel_extract``)."""

TEMPLATES = {
    "blocks.html": (
        "<title>{% trans %}Hello {{ name }}{% endtrans %}</title>\n"
        "{% trans count=n %}One item{% pluralize %}{{ count }} items{% endtrans %}\n"
        '{% trans "menu" %}File{% endtrans %}\n'
        "{%- trans -%}\n   spread over\n   lines\n{%- endtrans %}\n"
    ),
    "calls.html": (
        '{{ _("Hi") }} {{ _ ( "spaced" ) }} {{ gettext(\n"next line") }}\n'
        '{{ ngettext("one", "many", n) }} {{ pgettext("shop", "Basket") }}\n'
        '{{ npgettext("shop", "item", "items", n) }} {{ N_("later") }}\n'
        '{% set label = _("Set") %}{% macro button(text=_("Default")) %}{% endmacro %}\n'
        '{{ _(variable) }} {{ gettext("%(x)s", x=1) }}\n'
    ),
    "not_messages.html": (
        '<p>{{ first_name }} {{ user._("attribute") }} {# _("in a comment") #}</p>\n'
        '<p style="background: transparent">{{ "translated" | upper }} {{ transport }}</p>\n'
        '{{ my_("other") }} {{ translate }}\n'
    ),
    "partials/footer.mjml": '<mj-text>{{ _("Unsubscribe") }}</mj-text>\n',
    "broken.html": '{{ _("never read") }}{% if %}\n',
    "plain.txt": "Hello {{ name }},\n{% trans %}Thanks{% endtrans %}\n",
    "nothing.html": "<p>{{ name }}</p>\n",
}


_Found = tuple[object, str | None, list[tuple[str, int]], list[str]]
"""A message as a catalog holds it: its id, context, locations and comments."""


def _jinja_extractor(templates: Path) -> list[_Found]:
    """What Jinja's Babel extractor finds, file by file (sorted), as a catalog holds it."""
    catalog = Catalog()
    files = sorted(
        p for p in templates.rglob("*") if p.suffix in TEMPLATE_FILE_SUFFIXES and p.is_file()
    )
    for path in files:
        relative = path.relative_to(templates).as_posix()
        for line, message, comments, context in extract_from_file(
            "jinja2.ext:babel_extract", path, options=JINJA_OPTIONS
        ):
            catalog.add(message, None, [(relative, line)], auto_comments=comments, context=context)
    return _listed(catalog)


def _listed(catalog: Catalog) -> list[_Found]:
    return [
        (message.id, message.context, message.locations, message.auto_comments)
        for message in catalog
        if message.id
    ]


def test_the_messages_are_those_jinjas_extractor_finds(tmp_path: Path) -> None:
    for name, text in TEMPLATES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)

    ours = _listed(extract_messages(tmp_path))

    assert ours == _jinja_extractor(tmp_path)
    assert ("Set", None, [("calls.html", 5)], []) in ours
    assert ("item", "items") in [message_id for message_id, *_ in ours]
    assert ("File", "menu", [("blocks.html", 3)], []) in ours
    files = {file for _, _, locations, _ in ours for file, _ in locations}
    assert files == {"blocks.html", "calls.html", "partials/footer.mjml", "plain.txt"}


def test_the_shipped_templates_give_what_jinjas_extractor_finds() -> None:
    templates = REPO / "templates"
    assert _listed(extract_messages(templates)) == _jinja_extractor(templates)
