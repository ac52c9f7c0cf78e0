"""The derived text keeps the spacing the HTML shows; hand-written text renders as plain Jinja."""

from __future__ import annotations

import jinja2

from tests.email.compiler.conftest import CompileTemplates


def test_two_values_side_by_side_keep_their_space(compile_templates: CompileTemplates) -> None:
    emails = compile_templates(
        {
            "card.html": (
                "<title>Card</title><p>{{ first }} {{ last }}</p><p><b>{{ a }}</b> {{ b }}</p>"
            )
        }
    )
    rendered = emails.templates.card.render(
        emails.CardContext(first="Ada", last="Lovelace", a="x", b="y")
    )
    assert rendered.text == "Ada Lovelace\n\nx y\n"


def test_every_branch_keeps_the_space_before_a_condition(
    compile_templates: CompileTemplates,
) -> None:
    emails = compile_templates(
        {
            "expiry.html": (
                "<title>Link</title><p>The link expires in\n"
                "{% if minutes >= 120 %}{{ minutes // 60 }} hours{% else %}{{ minutes }} minutes"
                "{% endif %}.</p>"
            )
        }
    )
    short = emails.templates.expiry.render(emails.ExpiryContext(minutes=30))
    long = emails.templates.expiry.render(emails.ExpiryContext(minutes=180))
    assert short.text == "The link expires in 30 minutes.\n"
    assert long.text == "The link expires in 3 hours.\n"


def test_entities_and_table_rows_read_as_text(compile_templates: CompileTemplates) -> None:
    emails = compile_templates(
        {
            "bill.html": (
                "<title>Bill</title><p>Tom &amp; Jerry&nbsp;{{ who }}</p>"
                "<table><tr><th>Item</th><th>Price</th></tr>"
                "{% for line in lines %}<tr><td>{{ line.name }}</td><td>{{ line.price }}</td></tr>"
                "{% endfor %}</table>"
            )
        }
    )
    rendered = emails.templates.bill.render(
        emails.BillContext(
            who="Spike",
            lines=[emails.BillLine(name="Tea", price="3"), emails.BillLine(name="Cake", price="4")],
        )
    )
    assert rendered.text == "Tom & Jerry Spike\n\nItem | Price\nTea | 3\nCake | 4\n"


TEXT_LAYOUT = "Hello,\n{% block body %}{% endblock %}\n-- \n{{ signature }}\n"
TEXT_CHILD = (
    '{% extends "layouts/base.txt" %}\n'
    "{{ ignored }} is outside every block: it prints nothing\n"
    "{% block body %}{% if vip %}You are a VIP.{% endif %}\n"
    "Your code is {{ code }}.{% endblock %}\n"
)


def test_a_text_extending_a_text_layout_renders_as_plain_jinja(
    compile_templates: CompileTemplates,
) -> None:
    files = {
        "layouts/base.txt": TEXT_LAYOUT,
        "layouts/base.html": "<title>Code</title>{% block body %}{% endblock %}",
        "code.html": (
            '{% extends "layouts/base.html" %}{% block body %}<p>{{ code }}</p>{% endblock %}'
        ),
        "code.txt": TEXT_CHILD,
    }
    emails = compile_templates(files)
    assert set(emails.CodeContext.model_fields) == {"code", "signature", "vip"}
    context = {"code": "493817", "signature": "The team", "vip": True}
    rendered = emails.templates.code.render(emails.CodeContext(**context))
    plain = jinja2.Environment(loader=jinja2.DictLoader(files)).get_template("code.txt")
    assert rendered.text == plain.render(context).strip() + "\n"
    assert rendered.text == "Hello,\nYou are a VIP.\nYour code is 493817.\n-- \nThe team\n"
