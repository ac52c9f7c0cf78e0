"""Translation calls compiled as direct calls render exactly as Jinja's own new-style gettext.

``glasswork_email.i18n.direct_calls`` (the code generator) and ``glasswork_email.i18n.translators``
(the callables): the output of each gettext form, in an autoescaped part and a plain one, is
compared with Jinja's ``install_null_translations(newstyle=True)``, hostile values included.
"""

from __future__ import annotations

import gettext

import pytest
from jinja2 import Environment, StrictUndefined

from glasswork_email.i18n import translators
from glasswork_email.i18n.direct_calls import TranslationCallGenerator
from glasswork_email.i18n.translators import jinja_callables

SOURCE = """\
{% trans %}Plain words{% endtrans %}|{% trans who=name %}Hi {{ who }} & co{% endtrans %}|\
{{ _("Thanks, %(who)s! 100%%", who=name) }}|{{ pgettext("menu", "Open") }}|\
{{ pgettext("menu", "Open %(what)s", what=name) }}|\
{% trans count=n %}{{ count }} file of {{ name }}{% pluralize %}{{ count }} files{% endtrans %}|\
{{ npgettext("disk", "%(num)s disk", "%(num)s disks", n) }}|{{ _("%(n)d items", n=n) }}|\
{% set label = _("Label <b>%(x)s</b>", x=name) %}{{ label }}|{{ _("Total") | upper }}"""
HOSTILE = {"name": '<script>alert("x")</script>', "n": 3}


def _environment(*, ours: bool, autoescape: bool) -> Environment:
    environment = Environment(
        autoescape=autoescape, undefined=StrictUndefined, extensions=["jinja2.ext.i18n"]
    )
    environment.policies["ext.i18n.trimmed"] = True
    # new style, as the compiler's environment: the call formats the values (the render's
    # variables shadow these null translations)
    environment.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    if ours:
        environment.code_generator_class = TranslationCallGenerator
    return environment


def _reference(autoescape: bool) -> str:
    return _environment(ours=False, autoescape=autoescape).from_string(SOURCE).render(HOSTILE)


@pytest.mark.parametrize("autoescape", [True, False], ids=["html", "text"])
def test_direct_calls_render_as_jinja_newstyle_gettext(autoescape: bool) -> None:
    environment = _environment(ours=True, autoescape=autoescape)
    template = environment.from_string(SOURCE)
    names = jinja_callables(gettext.NullTranslations())
    assert template.render({**HOSTILE, **names}) == _reference(autoescape)
    assert template.render({**HOSTILE, **names}) == _reference(autoescape)  # cached: the same
    if autoescape:
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in _reference(autoescape)
        assert "<b>&lt;script&gt;" in _reference(autoescape)  # the message's markup kept


@pytest.mark.parametrize("autoescape", [True, False], ids=["html", "text"])
def test_code_compiled_by_plain_jinja_calls_the_same_callables_through_the_context(
    autoescape: bool,
) -> None:
    template = _environment(ours=False, autoescape=autoescape).from_string(SOURCE)
    names = jinja_callables(gettext.NullTranslations())
    assert template.render({**HOSTILE, **names}) == _reference(autoescape)


def test_translation_calls_compile_to_direct_calls_in_the_parts_mode() -> None:
    html = _environment(ours=True, autoescape=True).compile("{{ _('a') }}", raw=True)
    text = _environment(ours=True, autoescape=False).compile("{{ _('a') }}", raw=True)
    assert "gettext)).html('a')" not in html  # `_` is its own name
    assert ".html('a')" in html and "context.call" not in html
    assert ".text('a')" in text and "context.call" not in text
    volatile = _environment(ours=True, autoescape=True).compile(
        "{% autoescape flag %}{{ _('a') }}{% endautoescape %}", raw=True
    )
    assert "context.call(" in volatile  # escaping known only at run time: Jinja's own call
    old_style = _environment(ours=True, autoescape=True)
    old_style.newstyle_gettext = False  # type: ignore[attr-defined]
    assert "context.call(" in old_style.compile("{{ _('a') }}", raw=True)


def test_a_translated_catalog_is_used_and_values_stay_escaped() -> None:
    class French(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return {"Hi %(who)s & co": "Salut %(who)s &amp; cie", "Plain words": "Mots"}.get(
                message, message
            )

    environment = _environment(ours=True, autoescape=True)
    template = environment.from_string(
        "{% trans %}Plain words{% endtrans %} {% trans who=name %}Hi {{ who }} & co{% endtrans %}"
    )
    names = jinja_callables(French())
    assert template.render(name="<i>", **names) == "Mots Salut &lt;i&gt; &amp; cie"


def test_messages_kept_per_language_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(translators, "MAX_CACHED_MESSAGES", 5)
    template = _environment(ours=True, autoescape=False).from_string(
        "{% for word in words %}{{ _(word) }}{% endfor %}"
    )
    names = jinja_callables(gettext.NullTranslations())
    words = [f"w{number}" for number in range(50)]
    assert template.render(words=words, **names) == "".join(words)
    assert len(names["gettext"]._text.cache) == 5
