"""Type inference, rule by rule: each test compiles a template and renders it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from glasswork_email.compiler.errors import TemplateCompileError
from tests.email.compiler.conftest import CompileTemplates


def html(body: str, subject: str = "Hello") -> str:
    return f"<html><head><title>{subject}</title></head><body>{body}</body></html>"


def fields(model: Any) -> dict[str, tuple[Any, bool]]:
    return {
        name: (info.annotation, info.is_required()) for name, info in model.model_fields.items()
    }


def test_printed_variable_is_a_required_string(compile_templates: CompileTemplates) -> None:
    emails = compile_templates({"hello.html": html("<p>Hi {{ name }}</p>")})
    assert fields(emails.HelloContext) == {"name": (str, True)}
    assert "Hi Ada" in emails.templates.hello.render(emails.HelloContext(name="Ada")).html
    with pytest.raises(ValidationError):
        emails.HelloContext()


def test_attribute_chains_become_nested_models(compile_templates: CompileTemplates) -> None:
    emails = compile_templates(
        {"ship.html": html("{{ order.address.city }}, {{ order.address.zip }} {{ order.id }}")}
    )
    address = emails.ShipOrderAddress(city="London", zip="NW1")
    context = emails.ShipContext(order=emails.ShipOrder(address=address, id="7"))
    assert fields(emails.ShipOrderAddress) == {"city": (str, True), "zip": (str, True)}
    assert "London, NW1 7" in emails.templates.ship.render(context).html


def test_loop_makes_a_list_of_item_models_and_locals_are_not_inputs(
    compile_templates: CompileTemplates,
) -> None:
    body = (
        "{% set heading = 'Items' %}{{ heading }}"
        "{% macro row(label) %}<li>{{ label }}</li>{% endmacro %}"
        "<ul>{% for item in items %}{{ loop.index }}. {{ row(item.name) }}{% endfor %}</ul>"
    )
    emails = compile_templates({"cart.html": html(body)})
    assert set(fields(emails.CartContext)) == {"items"}
    assert fields(emails.CartItem) == {"name": (str, True)}
    context = emails.CartContext(items=[emails.CartItem(name="Pen"), emails.CartItem(name="Ink")])
    rendered = emails.templates.cart.render(context).html
    assert "1. <li>Pen</li>2. <li>Ink</li>" in rendered


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("{{ price * quantity }}", {"price": float, "quantity": float}),
        ("{% if count > 1 %}many{% endif %}", {"count": int}),
        ("{{ '%.2f' | format(total) }}", {"total": float}),
        ("{{ amount | round(1) }}", {"amount": float}),
        ("{{ range(n) | list | length }}", {"n": int}),
        ("{{ items | sum(attribute='price') }}", {"items": list}),
    ],
)
def test_numbers_are_inferred_from_arithmetic_comparisons_and_numeric_filters(
    compile_templates: CompileTemplates, expression: str, expected: dict[str, type]
) -> None:
    emails = compile_templates({"num.html": html(expression)})
    inferred = fields(emails.NumContext)
    for name, annotation in expected.items():
        actual = inferred[name][0]
        assert getattr(actual, "__origin__", actual) is annotation


def test_sum_of_an_attribute_makes_the_element_field_numeric_and_renders(
    compile_templates: CompileTemplates,
) -> None:
    emails = compile_templates({"num.html": html("{{ items | sum(attribute='price') }}")})
    assert fields(emails.NumItem) == {"price": (float, True)}
    context = emails.NumContext(items=[{"price": 1.5}, {"price": 2}])
    assert "3.5" in emails.templates.num.render(context).html


def test_formatted_number_renders_with_two_decimals(compile_templates: CompileTemplates) -> None:
    emails = compile_templates({"num.html": html("Total {{ '%.2f' | format(total) }}")})
    assert "Total 3.10" in emails.templates.num.render(emails.NumContext(total=3.1)).html


def test_only_tested_variable_is_a_flag_defaulting_to_false(
    compile_templates: CompileTemplates,
) -> None:
    emails = compile_templates({"vip.html": html("{% if vip %}VIP{% else %}guest{% endif %}")})
    assert fields(emails.VipContext) == {"vip": (bool, False)}
    assert "guest" in emails.templates.vip.render(emails.VipContext()).html
    assert "VIP" in emails.templates.vip.render(emails.VipContext(vip=True)).html


@pytest.mark.parametrize(
    "body",
    [
        "Hi {{ nickname | default('there') }}",
        "Hi {{ nickname or 'there' }}",
        "Hi {% if nickname is defined %}{{ nickname }}{% else %}there{% endif %}",
        "Hi {% if nickname %}{{ nickname }}{% else %}there{% endif %}",
    ],
)
def test_guarded_variable_is_optional_with_none_default(
    compile_templates: CompileTemplates, body: str
) -> None:
    emails = compile_templates({"hi.html": html(body)})
    assert fields(emails.HiContext) == {"nickname": (str | None, False)}
    assert "Hi there" in emails.templates.hi.render(emails.HiContext()).html
    assert "Hi Ace" in emails.templates.hi.render(emails.HiContext(nickname="Ace")).html


def test_guard_on_an_object_makes_the_object_optional_not_its_fields(
    compile_templates: CompileTemplates,
) -> None:
    body = "{% if address %}{{ address.city }}{% endif %}"
    emails = compile_templates({"addr.html": html(body)})
    assert fields(emails.AddrContext)["address"][1] is False
    assert fields(emails.AddrAddress) == {"city": (str, True)}
    assert "<body></body>" in emails.templates.addr.render(emails.AddrContext()).html


def test_unguarded_use_keeps_a_tested_variable_required(
    compile_templates: CompileTemplates,
) -> None:
    emails = compile_templates({"t.html": html("{% if name %}!{% endif %}{{ name }}")})
    assert fields(emails.TContext) == {"name": (str, True)}


def test_declaration_wins_over_inference(compile_templates: CompileTemplates) -> None:
    source = (
        "{# context\n    total: Decimal\n    placed_at: datetime\n    note: str | None\n#}"
        + html("{{ total }} on {{ placed_at.strftime('%Y-%m-%d') }}{{ note or '' }}")
    )
    emails = compile_templates({"order.html": source})
    assert fields(emails.OrderContext) == {
        "note": (str | None, False),
        "placed_at": (datetime, True),
        "total": (Decimal, True),
    }
    context = emails.OrderContext(total="24.990", placed_at="2025-01-02T03:04:05")
    assert "24.990 on 2025-01-02" in emails.templates.order.render(context).html


def test_undeclared_method_call_is_an_error_naming_file_and_line(
    compile_templates: CompileTemplates,
) -> None:
    with pytest.raises(TemplateCompileError) as raised:
        compile_templates({"when.html": html("\n\n{{ placed_at.strftime('%Y') }}")})
    message = str(raised.value)
    assert "when.html:3:1" in message and "declare it" in message


def test_includes_are_followed(compile_templates: CompileTemplates) -> None:
    emails = compile_templates(
        {
            "note.html": html('{% include "partials/sig.html" %}'),
            "partials/sig.html": "<p>{{ signature }}</p>",
        }
    )
    assert fields(emails.NoteContext) == {"signature": (str, True)}
    assert emails.templates.names() == ("note",)


def test_layout_blocks_and_super_are_inlined(compile_templates: CompileTemplates) -> None:
    emails = compile_templates(
        {
            "layouts/base.html": html(
                "<header>{% block head %}Shop{% endblock %}</header>{% block body %}{% endblock %}",
                subject="{% block subject %}{% endblock %}",
            ),
            "promo.html": (
                '{% extends "layouts/base.html" %}{% block subject %}Sale for {{ name }}'
                "{% endblock %}{% block head %}{{ super() }} news{% endblock %}"
                "{% block body %}<p>{{ percent }}% off</p>{% endblock %}"
            ),
        }
    )
    rendered = emails.templates.promo.render(emails.PromoContext(name="Ann", percent="20"))
    assert rendered.subject == "Sale for Ann"
    assert "<header>Shop news</header><p>20% off</p>" in rendered.html


def test_macro_parameter_uses_apply_to_the_arguments(compile_templates: CompileTemplates) -> None:
    body = (
        "{% macro money(value) %}{{ '%.2f' | format(value) }}{% endmacro %}{{ money(order.total) }}"
    )
    emails = compile_templates({"bill.html": html(body)})
    assert fields(emails.BillOrder) == {"total": (float, True)}


def test_context_models_forbid_unknown_fields(compile_templates: CompileTemplates) -> None:
    emails = compile_templates({"hello.html": html("{{ name }}")})
    with pytest.raises(ValidationError, match="extra"):
        emails.HelloContext(name="a", nmae="typo")
