"""Lint findings point at the line that wrote the element, in a template, layout or partial."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glasswork_email.cli import main
from glasswork_email.compiler.tokens import split_source
from glasswork_email.fixture_rendering import ScratchCompiler
from glasswork_email.lint.html_document import parse_html
from glasswork_email.lint.source_map import SourceMaps, mark_pieces
from glasswork_email.rendering import create_compile_environment

LAYOUT = """<mjml lang="en">
  <mj-head>
    <mj-title>{% block subject %}{% endblock %}</mj-title>
    <mj-attributes><mj-text color="#212121" /></mj-attributes>
  </mj-head>
  <mj-body background-color="#ffffff">
    <mj-section>
      <mj-column>
        <mj-image src="https://cdn.example/logo.png" width="120px" />
      </mj-column>
    </mj-section>
    {% block content %}{% endblock %}
    {% include "partials/footer.mjml" %}
  </mj-body>
</mjml>
"""

FOOTER = """<mj-section>
  <mj-column>
    <mj-text color="#b0b0b0">You receive this email because you have an account.</mj-text>
  </mj-column>
</mj-section>
"""

NOTICE = """{% extends "layouts/base.mjml" %}
{% block subject %}Your order{% endblock %}
{% block content %}
<mj-section>
  <mj-column>
    <mj-image src="https://cdn.example/logo.png" alt="Shop" width="120px" />
    <mj-text color="#b0b0b0" container-background-color="#000000">Light on dark.</mj-text>
    <mj-button background-color="#5753c6" color="#ffffff" href="{{ url }}">Track</mj-button>
    {% for item in items %}
    <mj-text>{{ item }} <a href="http://shop.example/{{ item }}">details</a></mj-text>
    {% endfor %}
    <mj-button background-color="#c8c8c8" color="#ffffff" href="{{ url }}">Help</mj-button>
  </mj-column>
</mj-section>
{% endblock %}
"""


def write_templates(folder: Path) -> Path:
    files = {
        "layouts/base.mjml": LAYOUT,
        "partials/footer.mjml": FOOTER,
        "notice.mjml": NOTICE,
        "notice.json": json.dumps({"url": "https://shop.example/t", "items": ["a1", "b2"]}),
    }
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content)
    return folder


@pytest.fixture
def findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, list[str]]:
    templates = write_templates(tmp_path / "templates")
    assert main(["lint", str(templates)]) == 1
    by_check: dict[str, list[str]] = {}
    for line in capsys.readouterr().err.splitlines():
        location, _colon, rest = line.partition(": ")
        if "[" not in rest:
            continue
        check = rest.split("[", 1)[1].split("]", 1)[0]
        by_check.setdefault(check, []).append(location.removeprefix(f"{templates}/"))
    return by_check


def test_a_finding_in_a_partial_points_at_the_partials_line(
    findings: dict[str, list[str]],
) -> None:
    # notice.mjml:7 has the same colour first (passing, on black): a search would stop there
    assert "partials/footer.mjml:3" in findings["contrast"]


def test_a_finding_in_the_layout_points_at_the_layouts_line(
    findings: dict[str, list[str]],
) -> None:
    # the same image (with alt) in notice.mjml:6 comes first in a search of the sources
    assert findings["img-alt"] == ["layouts/base.mjml:9"]


def test_a_finding_in_the_main_template_points_at_the_element_not_the_first_match(
    findings: dict[str, list[str]],
) -> None:
    # "#ffffff" is first on line 8 (a button that passes); the failing button is on line 12
    assert "notice.mjml:12" in findings["contrast"]
    assert len(findings["contrast"]) == 2


def test_an_element_written_in_a_loop_points_at_the_loops_line_once(
    findings: dict[str, list[str]],
) -> None:
    assert findings["insecure-link"] == ["notice.mjml:10", "notice.mjml:10"]


def test_every_rendered_element_of_the_shipped_templates_is_mapped_to_a_source_line() -> None:
    repo_templates = Path(__file__).resolve().parents[3] / "templates"
    with ScratchCompiler(repo_templates) as compiler:
        build = compiler.build()
        maps = SourceMaps(build)
        for rendered in build.render_all():
            assert rendered.email is not None
            document = parse_html(rendered.email.html)
            locator = maps.locator(rendered, document)
            assert locator is not None, f"{rendered.path} did not line up"
            body = next(document.iter("body"))
            texts = [element for element in body.iter() if element.own_text]
            unmapped = [e.own_text for e in texts if locator.location(e) is None]
            # the preheader is the one text MJML writes from <mj-head> (<mj-preview>)
            assert len(unmapped) <= 1, unmapped


def test_markers_name_each_start_tag_outside_the_head_and_comments() -> None:
    source = (
        "<mjml>\n<mj-head><mj-title>T</mj-title></mj-head>\n<mj-body>\n"
        '<!-- <mj-text> -->\n<mj-text css-class="x">\n  <p>{{ a }}</p></mj-text>\n'
        '<mj-raw><img src="a.png"></mj-raw>\n</mj-body>\n</mjml>\n'
    )
    pieces = split_source(source, Path("t.mjml"), create_compile_environment())
    marked, locations = mark_pieces(pieces)
    text = "".join(piece.text for piece in marked)
    assert '<mj-body css-class="gwloc0">' in text
    assert '<mj-text css-class="x gwloc1">' in text
    assert '<p data-gwloc="2">' in text
    assert "<mj-raw>" in text and '<img data-gwloc="3" src="a.png">' in text
    assert "<!-- <mj-text> -->" in text and "<mj-title>T</mj-title>" in text
    assert [(location.line, location.column) for location in locations] == [
        (3, 1),
        (5, 1),
        (6, 3),
        (7, 9),
    ]
