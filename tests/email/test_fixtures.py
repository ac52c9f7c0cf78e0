"""Sample contexts: ``<template>.json`` and ``<template>.<name>.json`` beside each template."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glasswork_email.cli import main
from glasswork_email.fixtures import DEFAULT_SAMPLE, FixtureError, load_fixtures
from tests.email.compiler.conftest import write_templates

ROOT = Path(__file__).resolve().parents[2]


def test_the_default_sample_comes_first_then_the_named_ones_sorted(tmp_path: Path) -> None:
    source = write_templates(
        tmp_path,
        {
            "emails/welcome.html": "<title>Hi {{ name }}</title>",
            "emails/welcome.zed.json": '{"name": "Zed"}',
            "emails/welcome.long-name.json": '{"name": "Ada Augusta King"}',
            "emails/welcome.json": '{"name": "Ada"}',
            "other/welcome.json": '{"name": "not beside the template"}',
        },
    )
    fixtures = load_fixtures(source, "welcome")
    assert list(fixtures) == [DEFAULT_SAMPLE, "long-name", "zed"]
    assert fixtures["default"].context == {"name": "Ada"}
    assert fixtures["long-name"].path == source / "emails/welcome.long-name.json"
    assert fixtures["zed"].template == "welcome" and fixtures["zed"].text == '{"name": "Zed"}'


def test_a_template_without_samples_has_none(tmp_path: Path) -> None:
    source = write_templates(tmp_path, {"hello.html": "<title>Hi</title>"})
    assert load_fixtures(source, "hello") == {}


def test_an_unknown_template_names_the_known_ones(tmp_path: Path) -> None:
    source = write_templates(tmp_path, {"hello.html": "<title>Hi</title>"})
    with pytest.raises(LookupError, match=r"no template 'bye' .*known: hello"):
        load_fixtures(source, "bye")


@pytest.mark.parametrize(
    ("file", "text", "expected"),
    [
        ("hello.json", '{\n  "name": "Ada",\n  oops\n}', "hello.json:3:3: not valid JSON"),
        ("hello.json", '["Ada"]', "hello.json:1:1: a sample context is a JSON object"),
        ("hello.Big_Name.json", "{}", "hello.Big_Name.json:1:1: sample name 'Big_Name' must be"),
    ],
)
def test_bad_sample_files_are_located_errors(
    tmp_path: Path, file: str, text: str, expected: str
) -> None:
    source = write_templates(tmp_path, {"hello.html": "<title>Hi</title>", file: text})
    with pytest.raises(FixtureError) as raised:
        load_fixtures(source, "hello")
    assert str(raised.value).startswith(f"{source}/{expected}")


def test_check_validates_every_sample_against_the_generated_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_templates(
        tmp_path / "templates",
        {
            "order.html": (
                "{#- context\n    total: Decimal\n-#}<title>Order {{ number }}</title>"
                "<p>{{ total }}</p>{% for item in items %}<p>{{ item.name }}</p>{% endfor %}"
            ),
            "order.json": json.dumps({"number": "7", "total": "9.50", "items": [{"name": "Tea"}]}),
        },
    )
    out = tmp_path / "emails"
    assert main(["compile", str(source), "--out", str(out)]) == 0
    assert main(["compile", str(source), "--out", str(out), "--check"]) == 0
    (source / "order.broken.json").write_text(
        '{\n  "number": 7,\n  "total": "nine",\n  "items": [{"name": "Tea", "size": "L"}]\n}\n'
    )
    capsys.readouterr()
    assert main(["compile", str(source), "--out", str(out), "--check"]) == 1
    errors = capsys.readouterr().err.splitlines()
    broken = source / "order.broken.json"
    assert errors == [
        f"{broken}:2:3: sample context 'broken' of 'order': number: Input should be a valid string",
        f"{broken}:3:3: sample context 'broken' of 'order': total: Input should be a valid decimal",
        f"{broken}:4:29: sample context 'broken' of 'order': items.0.size: Extra inputs are not "
        "permitted",
    ]


def test_every_shipped_template_has_a_default_sample_that_renders() -> None:
    from examples.app.emails import templates

    for name in templates.names():
        fixtures = load_fixtures(ROOT / "templates", name)
        assert DEFAULT_SAMPLE in fixtures, f"templates/{name}.json is missing"
        template = templates.get(name)
        for fixture in fixtures.values():
            rendered = template.render(template.context_model.model_validate_json(fixture.text))
            assert rendered.subject and rendered.html and rendered.text.strip()
