"""The URL-safety pass: values in URL attributes are checked, unsafe contexts are compile errors.

Hostile values (``tests/email/test_url_safety.py``'s corpus) are rendered through compiled HTML
and MJML templates; every URL attribute of the output is read back with the standard library's
HTML parser and judged by the same browser-like oracle.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest

from glasswork_email.compiler.errors import TemplateCompileError
from glasswork_email.url_safety import DEFAULT_IMAGE_SCHEMES, DEFAULT_LINK_SCHEMES, REFUSED_URL
from tests.email.compiler.conftest import CompileTemplates
from tests.email.test_url_safety import HOSTILE, safe_for_browser

LINK_ATTRIBUTES = {"href", "action"}
IMAGE_ATTRIBUTES = {"src", "background"}

HTML_TEMPLATE = (
    "<html><head><title>Hi {{ name }}</title></head><body>\n"
    '<a href="{{ link }}">go</a>\n'
    "<img src='{{ image }}' alt=\"\">\n"
    '<table background="{{ image }}"><tr>'
    "<td style=\"background:url('{{ image }}')\">x</td></tr></table>\n"
    '<a href="https://shop.example/{{ path }}">fixed</a>\n'
    '<a href="mailto:{{ email }}">mail</a>\n'
    '{% if name %}<a href="{{ link }}">again</a>{% endif %}\n'
    "<p>{{ name }}</p></body></html>\n"
)

MJML_TEMPLATE = (
    "<mjml><mj-head><mj-title>Hi {{ name }}</mj-title></mj-head><mj-body>\n"
    '<mj-section background-url="{{ image }}"><mj-column>\n'
    '<mj-image src="{{ image }}" alt="logo"></mj-image>\n'
    '<mj-button href="{{ link }}">Go</mj-button>\n'
    '<mj-text><a href="{{ link }}">text link</a> {{ name }}</mj-text>\n'
    "</mj-column></mj-section></mj-body></mjml>\n"
)


class UrlAttributes(HTMLParser):
    """Collects (attribute, decoded value) of every URL attribute, as a browser decodes them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in LINK_ATTRIBUTES | IMAGE_ATTRIBUTES and value is not None:
                self.found.append((name, value))
            if name == "style" and value and "url(" in value:
                inner = value.split("url(", 1)[1].split(")", 1)[0].strip("'\" ")
                self.found.append(("style", inner))


def url_attributes(html: str) -> list[tuple[str, str]]:
    parser = UrlAttributes()
    parser.feed(html)
    return parser.found


def unsafe_attributes(html: str) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, value in url_attributes(html)
        if not safe_for_browser(
            value, DEFAULT_LINK_SCHEMES if name in LINK_ATTRIBUTES else DEFAULT_IMAGE_SCHEMES
        )
    ]


def render_all(template: Any, context_model: Any, **fixed: str) -> tuple[int, int]:
    renders = slots = 0
    for value in HOSTILE:
        rendered = template.render(context_model(link=value, image=value, **fixed))
        unsafe = unsafe_attributes(rendered.html)
        assert unsafe == [], f"{value!r} rendered unsafe: {unsafe}"
        renders += 1
        slots += len(url_attributes(rendered.html))
    return renders, slots


def test_every_hostile_value_in_an_html_template_renders_safe(
    compile_templates: CompileTemplates,
) -> None:
    emails = compile_templates({"offer.html": HTML_TEMPLATE})
    renders, slots = render_all(
        emails.templates.offer,
        emails.OfferContext,
        name="Ann",
        path="a/b",
        email="ann@example.com",
    )
    assert renders == len(HOSTILE) and slots >= 7 * renders


def test_every_hostile_value_in_an_mjml_template_renders_safe(
    compile_templates: CompileTemplates,
) -> None:
    emails = compile_templates({"offer.mjml": MJML_TEMPLATE})
    renders, slots = render_all(emails.templates.offer, emails.OfferContext, name="Ann")
    assert renders == len(HOSTILE) and slots >= 3 * renders


def test_good_values_render_unchanged_and_fixed_prefixes_are_not_checked(
    compile_templates: CompileTemplates,
) -> None:
    emails = compile_templates({"offer.html": HTML_TEMPLATE})
    rendered = emails.templates.offer.render(
        emails.OfferContext(
            name="Ann",
            link="https://shop.example/sale?a=1&b=2",
            image="cid:logo",
            path="javascript:not-a-scheme-here",
            email="ann@example.com",
        )
    )
    found = dict(url_attributes(rendered.html))
    assert 'href="https://shop.example/sale?a=1&amp;b=2"' in rendered.html
    assert found["src"] == "cid:logo"
    assert 'href="https://shop.example/javascript:not-a-scheme-here"' in rendered.html
    assert REFUSED_URL not in rendered.html


def test_a_refused_value_renders_as_the_placeholder(compile_templates: CompileTemplates) -> None:
    emails = compile_templates({"offer.html": HTML_TEMPLATE})
    rendered = emails.templates.offer.render(
        emails.OfferContext(
            name="Ann", link="javascript:alert(1)", image="x.png", path="p", email="a@b.example"
        )
    )
    assert f'href="{REFUSED_URL}"' in rendered.html
    assert "javascript" not in rendered.html


@pytest.mark.parametrize(
    ("body", "column", "problem"),
    [
        ("<a href={{ link }}>go</a>", 9, "unquoted value of href"),
        ('<img alt="" src={{ link }}>', 17, "unquoted value of src"),
        ("<a {{ attributes }}>go</a>", 4, "attribute name"),
        ('<a class="x" {{ attributes }}>go</a>', 14, "attribute name"),
        ("<{{ tag }}>go</a>", 2, "tag name"),
        ("<script>var a = '{{ link }}';</script>", 18, "inside <script>"),
        ("<a onclick=\"go('{{ link }}')\">go</a>", 17, "event handler onclick"),
        ('<a href="javascript:{{ link }}">go</a>', 21, "'javascript': URL"),
    ],
)
def test_an_expression_escaping_cannot_protect_is_a_located_compile_error(
    compile_templates: CompileTemplates, body: str, column: int, problem: str
) -> None:
    source = f"<html><head><title>Hi</title></head><body>\n<p>x</p>{body}\n</body></html>\n"
    with pytest.raises(TemplateCompileError) as error:
        compile_templates({"bad.html": source})
    message = str(error.value)
    assert f"bad.html:2:{column + len('<p>x</p>')}:" in message
    assert problem in message


def test_values_in_css_pass_one_plain_value_and_nothing_that_adds_rules(
    compile_templates: CompileTemplates,
) -> None:
    emails = compile_templates(
        {
            "styled.mjml": (
                "<mjml><mj-head><mj-title>Hi</mj-title>\n"
                "<mj-style>.a { color: {{ colour }}; }</mj-style></mj-head><mj-body>"
                '<mj-section><mj-column><mj-raw><p style="color: {{ colour }}; '
                'font-family: {{ font }}">x</p></mj-raw>'
                "</mj-column></mj-section></mj-body></mjml>\n"
            )
        }
    )
    render = emails.templates.styled.render
    good = render(emails.StyledContext(colour="rgba(0, 0, 0, 0.5)", font="Helvetica Neue, Arial"))
    assert ".a { color: rgba(0, 0, 0, 0.5); }" in good.html
    assert 'style="color: rgba(0, 0, 0, 0.5); font-family: Helvetica Neue, Arial"' in good.html
    hostile = "red; } body { background: url(https://tracker.example/p.gif) } .x {"
    bad = render(emails.StyledContext(colour=hostile, font="x;background:url(//t.example)"))
    assert "tracker.example" not in bad.html and "t.example" not in bad.html
    assert ".a { color: ; }" in bad.html


def test_statements_inside_tags_and_comments_are_fine(compile_templates: CompileTemplates) -> None:
    emails = compile_templates(
        {
            "ok.html": (
                "<html><head><title>Hi</title></head><body>\n"
                '<a {% if name %}class="x"{% endif %} href="{{ link }}">go</a>\n'
                '<!--[if mso]><v:roundrect href="{{ link }}"></v:roundrect><![endif]-->\n'
                "</body></html>\n"
            )
        }
    )
    rendered = emails.templates.ok.render(emails.OkContext(name="n", link="vbscript:x"))
    assert rendered.html.count(REFUSED_URL) == 2


def test_the_allowed_schemes_come_from_the_compile_configuration(
    compile_templates: CompileTemplates,
) -> None:
    emails = compile_templates(
        {
            "pyproject.toml": '[tool.glasswork-email.url_schemes]\nlink = ["https", "sms"]\n',
            "sms.html": '<html><head><title>Hi</title></head><body><a href="{{ link }}">x</a>'
            "</body></html>\n",
        }
    )
    render = emails.templates.sms.render
    assert 'href="sms:+15550100"' in render(emails.SmsContext(link="sms:+15550100")).html
    assert REFUSED_URL in render(emails.SmsContext(link="http://shop.example")).html


def test_an_unknown_url_schemes_key_is_a_configuration_error(
    compile_templates: CompileTemplates,
) -> None:
    with pytest.raises(Exception, match=r"unknown key 'links' in `url_schemes`"):
        compile_templates(
            {
                "pyproject.toml": '[tool.glasswork-email.url_schemes]\nlinks = ["https"]\n',
                "a.html": "<html><head><title>Hi</title></head><body></body></html>\n",
            }
        )
