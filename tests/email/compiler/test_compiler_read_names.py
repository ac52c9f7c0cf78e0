"""Every name a template reads is a field, whatever position it is read in, and renders."""

from __future__ import annotations

from typing import Any

import pytest

from glasswork_email.compiler.errors import TemplateCompileError
from tests.email.compiler.conftest import CompileTemplates


def html(body: str) -> str:
    return f"<title>Names</title>{body}"


def annotations(model: Any) -> dict[str, Any]:
    return {name: info.annotation for name, info in model.model_fields.items()}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p>{{ price | round(digits) }}</p>", {"price": float, "digits": int}),
        ("<p>{{ bio | truncate(max_len) }}</p>", {"bio": str, "max_len": int}),
        ("<p>{{ tags | join(separator) }}</p>", {"tags": list[str], "separator": str}),
        (
            "<p>{{ nickname | default(first_name) }}</p>",
            {"nickname": str | None, "first_name": str},
        ),
        ("<p>{{ seats | default(minimum) + 1 }}</p>", {"seats": int | None, "minimum": int}),
        ("{% if count is divisibleby(step) %}<p>even</p>{% endif %}", {"count": int, "step": int}),
        ('<p>{{ ", ".join(names) }}</p>', {"names": list[str]}),
        ("{% set shown = title ~ suffix %}<p>{{ shown }}</p>", {"suffix": str, "title": str}),
        (
            "{% for i in items %}<p>{{ i }}</p>{% else %}<p>{{ empty }}</p>{% endfor %}",
            {"empty": str, "items": list[str]},
        ),
        ("{% with who = guest %}<p>{{ who }}</p>{% endwith %}", {"guest": str}),
        ("<p>{{ a if flag else b }}</p>", {"a": str, "b": str, "flag": bool}),
        ("<p>{{ rows[row_index] }}</p>", {"row_index": int, "rows": list[str]}),
    ],
)
def test_a_name_read_in_any_position_is_a_field(
    compile_templates: CompileTemplates, body: str, expected: dict[str, Any]
) -> None:
    emails = compile_templates({"names.html": html(body)})
    assert annotations(emails.NamesContext) == expected


def test_filter_and_call_arguments_render_with_the_model(
    compile_templates: CompileTemplates,
) -> None:
    emails = compile_templates(
        {
            "names.html": html(
                "{% macro badge(label, size) %}<b>{{ label | truncate(size) }}</b>{% endmacro %}"
                "<p>{{ price | round(digits) }} {{ tags | join(separator) }}</p>"
                "{{ badge(user.name, user.limit) }}"
            )
        }
    )
    context = emails.NamesContext(
        price=3.14159,
        digits=2,
        tags=["a", "b"],
        separator=" & ",
        user=emails.NamesUser(name="Ada Lovelace", limit=5),
    )
    rendered = emails.templates.names.render(context)
    assert "<p>3.14 a &amp; b</p>" in rendered.html
    assert "<b>Ad...</b>" in rendered.html
    assert annotations(emails.NamesUser) == {"limit": int, "name": str}


def test_jinja_names_are_never_fields(compile_templates: CompileTemplates) -> None:
    emails = compile_templates(
        {
            "names.html": html(
                "{% set ns = namespace(total=0) %}{% for n in range(3) %}"
                "{% set ns.total = ns.total + loop.index %}{% endfor %}"
                "{% macro box() %}<i>{{ caller() }} {{ varargs | length }} {{ kwargs | length }}"
                "</i>{% endmacro %}"
                "<p>{{ ns.total }} {{ lipsum(1, html=False) | length > 0 }}</p>"
                "{% call box(1, 2, a=3) %}inside{% endcall %}"
            )
        }
    )
    assert annotations(emails.NamesContext) == {}
    rendered = emails.templates.names.render(emails.NamesContext())
    assert "<p>6 True</p><i>inside 2 1</i>" in rendered.html


def test_a_subscript_with_a_key_that_is_no_identifier_is_reported_as_that_key(
    compile_templates: CompileTemplates,
) -> None:
    with pytest.raises(TemplateCompileError) as raised:
        compile_templates({"names.html": html('<p>{{ settings["site.name"] }}</p>')})
    message = str(raised.value)
    assert "`settings[\"site.name\"]`: the key 'site.name' is not a valid Python identifier" in (
        message
    )
