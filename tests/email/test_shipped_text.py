"""The shipped templates' text parts read right: no template syntax, and no word glued from two.

Each sample context of each template in ``templates/`` is rendered through the generated package
``examples/app/emails``. A text part derived from the HTML may only hold words the HTML shows (in
its text, link targets or image alts), so ``<p>{{ first }} {{ last }}</p>`` must not read
"AdaLovelace" and "expires in 30 minutes" must not read "expires in30".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from glasswork_email.fixtures import load_fixtures
from tests.email.html_words import html_words

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
MARKERS = ("{{", "}}", "{%", "%}", "{#", "#}")


def _samples() -> list[tuple[str, str]]:
    from examples.app.emails import templates

    return [
        (name, sample) for name in templates.names() for sample in load_fixtures(TEMPLATES, name)
    ]


@pytest.mark.parametrize(("name", "sample"), _samples())
def test_the_text_part_has_no_template_syntax_and_no_glued_words(name: str, sample: str) -> None:
    from examples.app.emails import templates

    template = templates.get(name)
    fixture = load_fixtures(TEMPLATES, name)[sample]
    rendered = template.render(template.context_model.model_validate_json(fixture.text))
    for marker in MARKERS:
        assert marker not in rendered.text, f"{marker!r} in the text of {name} ({sample})"
    if (TEMPLATES / f"{name}.txt").is_file():
        return  # a hand-written text part: its words are its own
    glued = sorted(set(re.findall(r"\w+", rendered.text)) - html_words(rendered.html))
    assert glued == [], f"{name} ({sample}): words in the text but not in the email: {glued}"
