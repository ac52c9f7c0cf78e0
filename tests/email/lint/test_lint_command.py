"""``glasswork-email lint`` and ``compile --check --lint`` on folders of real templates."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from glasswork_email.cli import main

REPO = Path(__file__).resolve().parents[3]

BAD_BUTTON = """<mjml lang="en">
  <mj-head><mj-title>{{ title }}</mj-title></mj-head>
  <mj-body>
    <mj-section><mj-column>
      <mj-text>Hello {{ name }}</mj-text>
      <mj-button background-color="#5753c6" color="#212121" href="{{ url }}">Track</mj-button>
      <mj-image src="https://cdn.example/logo.png" alt="" />
    </mj-column></mj-section>
  </mj-body>
</mjml>
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content)
    return folder


def test_lint_reports_each_finding_at_file_and_line_for_every_fixture(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = write(
        tmp_path / "templates",
        {
            "notice.mjml": BAD_BUTTON,
            "notice.json": json.dumps({"title": "Hi", "name": "Ada", "url": "https://x.example"}),
            "notice.insecure.json": json.dumps(
                {"title": "Hi", "name": "Ada", "url": "http://x.example/track"}
            ),
        },
    )
    assert main(["lint", str(templates)]) == 1
    err = capsys.readouterr()
    lines = err.err.splitlines()
    contrast = [line for line in lines if "[contrast]" in line]
    assert contrast == [
        f"{templates}/notice.mjml:6: error [contrast] text 'Track' is #212121 on #5753c6: "
        "contrast 2.65:1, under 4.5:1; darken the text or lighten the background "
        "(fixtures: default, insecure)"
    ]
    insecure = [line for line in lines if "[insecure-link]" in line]
    assert insecure == [
        f"{templates}/notice.insecure.json:1: error [insecure-link] link "
        "http://x.example/track uses http:, use https: (fixture: insecure)"
    ]
    assert "lint: 2 rendered email(s) checked, 2 error(s), 0 warning(s)" in err.out


def test_a_fixture_that_does_not_fit_the_context_fails_lint_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = write(
        tmp_path / "templates",
        {
            "notice.mjml": BAD_BUTTON.replace('color="#212121"', 'color="#ffffff"'),
            "notice.json": json.dumps({"title": "Hi", "name": ["Ada"], "url": "https://x"}),
        },
    )
    assert main(["lint", str(templates)]) == 1
    err = capsys.readouterr().err
    assert f"{templates}/notice.json: does not fit notice's context: name: Input should be" in err


def test_severities_from_pyproject_turn_errors_into_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.glasswork-email.lint]\ncontrast = "warning"\n')
    templates = write(
        tmp_path / "templates",
        {
            "notice.mjml": BAD_BUTTON,
            "notice.json": json.dumps({"title": "Hi", "name": "Ada", "url": "https://x.example"}),
        },
    )
    assert main(["lint", str(templates)]) == 0
    captured = capsys.readouterr()
    assert "warning [contrast]" in captured.err
    assert "0 error(s), 1 warning(s)" in captured.out


def test_compile_check_lint_fails_on_a_finding_even_when_the_package_is_fresh(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = write(
        tmp_path / "templates",
        {
            "notice.mjml": BAD_BUTTON,
            "notice.json": json.dumps({"title": "Hi", "name": "Ada", "url": "https://x.example"}),
        },
    )
    out = tmp_path / "emails"
    assert main(["compile", str(templates), "--out", str(out)]) == 0
    assert main(["compile", str(templates), "--out", str(out), "--check"]) == 0
    assert main(["compile", str(templates), "--out", str(out), "--check", "--lint"]) == 1
    assert "[contrast]" in capsys.readouterr().err


def test_the_shipped_templates_pass_lint_with_no_finding(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["lint", str(REPO / "templates")])
    captured = capsys.readouterr()
    assert captured.err == ""
    assert status == 0
    assert ", 0 error(s), 0 warning(s)" in captured.out
    checked = int(captured.out.split("lint: ")[1].split()[0])
    assert checked >= 4  # at least one fixture of every shipped email


def test_inline_cid_images_from_the_templates_folder_count_towards_the_total_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with_image = BAD_BUTTON.replace('color="#212121"', 'color="#ffffff"').replace(
        'src="https://cdn.example/logo.png"', 'src="cid:hero"'
    )
    templates = write(
        tmp_path / "templates",
        {
            "notice.mjml": with_image,
            "notice.json": json.dumps({"title": "Hi", "name": "Ada", "url": "https://x.example"}),
        },
    )
    (templates / "images").mkdir()
    (templates / "images" / "hero.jpg").write_bytes(os.urandom(700 * 1024))
    assert main(["lint", str(templates)]) == 0
    assert "0 error(s), 0 warning(s)" in capsys.readouterr().out
    (templates / "images" / "hero.jpg").write_bytes(os.urandom(900 * 1024))
    assert main(["lint", str(templates)]) == 0  # a warning by default
    captured = capsys.readouterr()
    (finding,) = [line for line in captured.err.splitlines() if "[total-size]" in line]
    assert finding.startswith(f"{templates}/notice.mjml:7: warning [total-size] the message is ")
    assert "as sent with its inline images (hero.jpg 1200.0 KB)" in finding
