"""MJML with Jinja inside: tags survive MJML, or the compile fails at the tag's file and line."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from glasswork_email.compiler.errors import TemplateCompileError
from tests.email.compiler.conftest import CompileTemplates

REPO = Path(__file__).resolve().parents[3]
REFERENCE = Path("/work/shared/reference/glasswork-ts/order-confirmation.context.json")


def mjml(body: str, head: str = "<mj-title>Hi</mj-title>") -> str:
    return f"<mjml><mj-head>{head}</mj-head><mj-body>{body}</mj-body></mjml>"


def section(content: str) -> str:
    return f"<mj-section><mj-column>{content}</mj-column></mj-section>"


def test_less_than_inside_a_statement_survives_mjml(compile_templates: CompileTemplates) -> None:
    body = section("<mj-text>{% if stock < 5 %}Only {{ stock }} left{% endif %}</mj-text>")
    emails = compile_templates({"stock.mjml": mjml(body)})
    assert "Only 3 left" in emails.templates.stock.render(emails.StockContext(stock=3)).html
    assert "Only" not in emails.templates.stock.render(emails.StockContext(stock=9)).html


def test_loops_around_sections_repeat_the_sections(compile_templates: CompileTemplates) -> None:
    body = "{% for line in lines %}" + section("<mj-text>{{ line }}</mj-text>") + "{% endfor %}"
    emails = compile_templates({"list.mjml": mjml(body)})
    rendered = emails.templates.list.render(emails.ListContext(lines=["a1", "b2", "c3"]))
    assert rendered.html.count("mj-column-per-100 mj-outlook-group-fix") >= 3 or (
        rendered.html.index("a1") < rendered.html.index("b2") < rendered.html.index("c3")
    )
    assert rendered.text.split() == ["a1", "b2", "c3"]


def test_statements_before_the_mjml_root_are_kept(compile_templates: CompileTemplates) -> None:
    source = "{% set greeting = 'Howdy' %}\n" + mjml(section("<mj-text>{{ greeting }}</mj-text>"))
    emails = compile_templates({"howdy.mjml": source})
    assert "Howdy" in emails.templates.howdy.render(emails.HowdyContext()).html


def test_jinja_in_an_image_width_is_an_error_at_its_line(
    compile_templates: CompileTemplates,
) -> None:
    body = section('\n<mj-image src="{{ logo }}"\n  width="{{ width }}" />')
    with pytest.raises(TemplateCompileError) as raised:
        compile_templates({"logo.mjml": mjml(body)})
    assert "logo.mjml:3:10: MJML dropped the Jinja tag '{{ width }}'" in str(raised.value)


def test_jinja_inside_an_opening_tag_is_an_error(compile_templates: CompileTemplates) -> None:
    body = section("<mj-text {% if red %}color='red'{% endif %}>x</mj-text>")
    with pytest.raises(TemplateCompileError, match=r"tag\.mjml:1:\d+: Jinja inside the opening"):
        compile_templates({"tag.mjml": mjml(body)})


def test_text_outside_the_mjml_root_is_an_error(compile_templates: CompileTemplates) -> None:
    with pytest.raises(TemplateCompileError, match="outside <mjml>"):
        compile_templates({"stray.mjml": "Dear customer\n" + mjml(section("<mj-text/>"))})


def test_text_after_the_root_of_a_layout_is_one_error_at_the_layout_line(
    compile_templates: CompileTemplates,
) -> None:
    layout = (
        "<mjml><mj-head><mj-title>{% block subject %}{% endblock %}</mj-title></mj-head>\n"
        "<mj-body>{% block content %}{% endblock %}</mj-body>\n"
        "</mjml>\n"
        "\n"
        "  {{ footer_note }} Sent by Acme\n"
    )
    email = (
        '{% extends "layouts/base.mjml" %}\n'
        + "\n" * 40
        + (
            "{% block subject %}Hi{% endblock %}\n"
            "{% block content %}" + section("<mj-text>{{ name }}</mj-text>") + "{% endblock %}\n"
        )
    )
    with pytest.raises(TemplateCompileError) as raised:
        compile_templates({"layouts/base.mjml": layout, "hello.mjml": email, "bye.mjml": email})
    message = str(raised.value)
    assert "layouts/base.mjml:5:21: text outside <mjml>...</mjml>: 'Sent by Acme'" in message
    assert "hello.mjml" not in message
    assert message.count("text outside") == 1  # once for the layout, not once per email


def test_text_before_the_root_is_an_error_at_its_own_line(
    compile_templates: CompileTemplates,
) -> None:
    source = "{# a comment #}\n{% set x = 1 %}\n  Dear customer\n" + mjml(section("<mj-text/>"))
    with pytest.raises(TemplateCompileError, match=r"stray\.mjml:3:3: text outside <mjml>"):
        compile_templates({"stray.mjml": source})


def test_a_template_without_subject_is_an_error(compile_templates: CompileTemplates) -> None:
    with pytest.raises(TemplateCompileError, match="no subject"):
        compile_templates({"nosubject.mjml": mjml(section("<mj-text>x</mj-text>"), head="")})


def test_mj_include_files_are_protected_and_inferred(compile_templates: CompileTemplates) -> None:
    emails = compile_templates(
        {
            "inc.mjml": mjml('<mj-include path="partials/sign.mjml" />'),
            "partials/sign.mjml": section("<mj-text>{% if a < b %}{{ team }}{% endif %}</mj-text>"),
        }
    )
    context = emails.IncContext(a=1, b=2, team="The Team")
    assert "The Team" in emails.templates.inc.render(context).html


def test_order_confirmation_renders_the_reference_email(
    compile_templates: CompileTemplates, tmp_path: Path
) -> None:
    sources = {
        str(path.relative_to(REPO / "templates")): path.read_text()
        for path in (REPO / "templates").rglob("*")
        if path.is_file()
    }
    (tmp_path / "pyproject.toml").write_bytes((REPO / "pyproject.toml").read_bytes())
    emails = compile_templates(sources)
    data = json.loads(REFERENCE.read_text())
    context = emails.OrderConfirmationContext(
        name=data["name"],
        order_number=data["orderNumber"],
        items=[
            {"name": item["name"], "price": item["price"], "on_sale": item["onSale"]}
            for item in data["items"]
        ],
        total=data["total"],
        shipping_address=data["shippingAddress"],
        tracking_url=data["trackingUrl"],
        currency="USD",
        placed_at=datetime(2025, 3, 1, 14, 5, tzinfo=UTC),
    )
    rendered = emails.templates.order_confirmation.render(context)
    assert rendered.subject == "Your order ORD-2025-000123"
    assert rendered.html.count("(On sale)") == 4
    names = [item["name"] for item in data["items"]]
    lines = rendered.html[rendered.html.index(names[0]) : rendered.html.index(names[-1])]
    assert "</table>" not in lines, "the order lines share one table, not a section each"
    assert 'href="https://track.example.com/orders/ORD-2025-000123"' in rendered.html
    assert "$24.99" in rendered.html and "$644.58" in rendered.html
    assert "- Wireless Mouse (on sale): $24.99\n" in rendered.text
    assert "- Mechanical Keyboard: $89.00\n" in rendered.text
    assert "Total: $644.58" in rendered.text
    assert "Track your order: https://track.example.com/orders/ORD-2025-000123" in rendered.text
    assert rendered.text.startswith("Hello Ada Lovelace,\n")
    empty = context.model_copy(update={"items": [], "name": None, "shipping_address": None})
    rendered_empty = emails.templates.order_confirmation.render(empty)
    assert "Hello there," in rendered_empty.text
    assert "Your cart is empty." in rendered_empty.text
    assert "Shipping to" not in rendered_empty.html
