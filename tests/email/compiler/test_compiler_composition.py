"""Layouts, includes and macro imports are inlined; what cannot be is a located compile error."""

from __future__ import annotations

import pytest

from glasswork_email.compiler.errors import TemplateCompileError
from tests.email.compiler.conftest import CompileTemplates

ROWS = (
    "{% macro row(label, value) %}<tr><td>{{ label }}</td><td>{{ value }}</td></tr>{% endmacro %}\n"
)
HTML_LAYOUT = (
    "<html><head><title>{% block subject %}{% endblock %}</title></head>\n"
    "<body>{% block content %}{% endblock %}</body></html>\n"
)
MJML_LAYOUT = (
    "<mjml><mj-head><mj-title>{% block subject %}{% endblock %}</mj-title></mj-head>\n"
    '<mj-body background-color="{{ background }}">{% block content %}{% endblock %}</mj-body>\n'
    "</mjml>\n"
)
MJML_TABLE = (
    "<mj-section><mj-column><mj-table>{{ row('Total', total) }}</mj-table></mj-column></mj-section>"
)


def test_imported_macro_keeps_its_markup_in_an_html_email_that_extends_a_layout(
    compile_templates: CompileTemplates,
) -> None:
    emails = compile_templates(
        {
            "layouts/base.html": HTML_LAYOUT,
            "partials/rows.html": ROWS,
            "bill.html": (
                '{% extends "layouts/base.html" %}\n'
                '{% from "partials/rows.html" import row %}\n'
                "{% block subject %}Your bill{% endblock %}\n"
                "{% block content %}<table>{{ row('Total', total) }}</table>{% endblock %}\n"
            ),
        }
    )
    rendered = emails.templates.bill.render(emails.BillContext(total="10"))
    assert "<table><tr><td>Total</td><td>10</td></tr></table>" in rendered.html
    assert rendered.text == "Total | 10\n"  # a table row: its cells on one line


def test_imported_macro_keeps_its_markup_in_an_mjml_email_that_extends_a_layout(
    compile_templates: CompileTemplates,
) -> None:
    emails = compile_templates(
        {
            "layouts/base.mjml": MJML_LAYOUT,
            "partials/rows.html": ROWS,
            "bill.mjml": (
                '{% extends "layouts/base.mjml" %}\n'
                '{% from "partials/rows.html" import row %}\n'
                "{% block subject %}Your bill{% endblock %}\n"
                f"{{% block content %}}{MJML_TABLE}{{% endblock %}}\n"
            ),
        }
    )
    context = emails.BillContext(total="10", background="#fff")
    rendered = emails.templates.bill.render(context)
    assert "<tr><td>Total</td><td>10</td></tr></table>" in rendered.html
    assert rendered.text == "Total | 10\n"  # a table row: its cells on one line


def test_macro_defined_in_an_email_that_extends_a_layout_keeps_its_markup(
    compile_templates: CompileTemplates,
) -> None:
    emails = compile_templates(
        {
            "layouts/base.mjml": MJML_LAYOUT,
            "bill.mjml": (
                '{% extends "layouts/base.mjml" %}\n'
                + ROWS
                + "{% block subject %}Your bill{% endblock %}\n"
                f"{{% block content %}}{MJML_TABLE}{{% endblock %}}\n"
            ),
        }
    )
    rendered = emails.templates.bill.render(emails.BillContext(total="7", background="#fff"))
    assert "<tr><td>Total</td><td>7</td></tr>" in rendered.html


def test_macro_markup_an_mjml_layout_cannot_place_is_an_error_at_the_macro(
    compile_templates: CompileTemplates,
) -> None:
    layout = (
        "<mjml><mj-head><mj-title>{% block subject %}{% endblock %}</mj-title></mj-head>\n"
        "{% if branded %}<mj-body>\n"
        "{% block content %}{% endblock %}</mj-body>{% endif %}</mjml>\n"
    )
    with pytest.raises(TemplateCompileError) as raised:
        compile_templates(
            {
                "layouts/base.mjml": layout,
                "partials/rows.html": "\n" + ROWS,
                "bill.mjml": (
                    '{% extends "layouts/base.mjml" %}\n'
                    '{% from "partials/rows.html" import row %}\n'
                    "{% block subject %}Your bill{% endblock %}\n"
                    f"{{% block content %}}{MJML_TABLE}{{% endblock %}}\n"
                ),
            }
        )
    message = str(raised.value)
    assert "partials/rows.html:2:1:" in message
    assert "import the macro inside a block of the email" in message


def test_missing_include_in_the_templates_folder_names_the_folder_once(
    compile_templates: CompileTemplates,
) -> None:
    with pytest.raises(TemplateCompileError) as raised:
        compile_templates({"note.html": '<title>Hi</title>{% include "partials/gone.html" %}'})
    message = str(raised.value)
    assert "note.html:1:18: `include` names 'partials/gone.html', which is not a file" in message
    assert " or " not in message


def test_missing_include_from_a_subfolder_names_both_folders(
    compile_templates: CompileTemplates,
) -> None:
    with pytest.raises(TemplateCompileError) as raised:
        compile_templates(
            {
                "note.html": '<title>Hi</title>{% include "partials/sig.html" %}',
                "partials/sig.html": '{% include "gone.html" %}',
            }
        )
    assert "which is not a file under " in str(raised.value)
    assert " or " in str(raised.value) and "/partials" in str(raised.value)
