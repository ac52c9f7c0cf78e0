"""MJML is checked before it compiles: unknown tags and attributes, bad values, nesting."""

from __future__ import annotations

from pathlib import Path

from glasswork_email.compiler.config import CompileConfig
from glasswork_email.compiler.project import ProjectCompiler
from tests.email.compiler.conftest import write_templates

PROMO = """<mjml>
  <mj-head><mj-title>Sale</mj-title></mj-head>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-buton href="{{ url }}">Shop</mj-buton>
        <mj-text padding="banana" colour="red">Ends {{ ends_on }}</mj-text>
        <mj-image src="{{ photo }}" alt="{{ alt }}" align="middle" />
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
"""


def compile_promo(tmp_path: Path, text: str, config: CompileConfig | None = None) -> list[str]:
    source = write_templates(tmp_path / "templates", {"promo.mjml": text})
    compiler = ProjectCompiler(source, tmp_path / "out", lambda _: None, config)
    report = compiler.compile()
    return [str(error) for error in report.errors] + [f"warning {w}" for w in report.warnings]


def test_unknown_tags_attributes_and_values_are_errors_at_their_line(tmp_path: Path) -> None:
    promo = tmp_path / "templates" / "promo.mjml"
    assert compile_promo(tmp_path, PROMO) == [
        f"{promo}:6:9: MJML: unknown tag <mj-buton>; did you mean <mj-button>?",
        f'{promo}:7:9: MJML: <mj-text padding="banana">: expected 1 to 4 lengths in px or % '
        "(like 10px 25px)",
        f"{promo}:7:9: MJML: <mj-text> has no attribute 'colour'",
        f'{promo}:8:9: MJML: <mj-image align="middle">: expected left, center, right or justify',
    ]


def test_unbalanced_tags_name_the_tag_left_open(tmp_path: Path) -> None:
    text = PROMO.replace("<mj-buton", "<mj-button").replace("</mj-buton>", "</mj-button>")
    text = text.replace('padding="banana" colour="red"', "").replace(' align="middle"', "")
    text = text.replace("      </mj-column>\n", "")
    promo = tmp_path / "templates" / "promo.mjml"
    assert compile_promo(tmp_path, text) == [
        f"{promo}:5:7: MJML: <mj-column> is not closed before </mj-section> at line 9"
    ]


def test_the_warn_switch_compiles_and_reports_the_mistakes_as_warnings(tmp_path: Path) -> None:
    text = PROMO.replace(' padding="banana" colour="red"', ' padding="banana"')
    text = text.replace("<mj-buton", "<mj-button").replace("</mj-buton>", "</mj-button>")
    problems = compile_promo(tmp_path, text, CompileConfig(mjml_validation="warn"))
    assert [problem.split(": ", 1)[1] for problem in problems] == [
        'MJML: <mj-text padding="banana">: expected 1 to 4 lengths in px or % (like 10px 25px)',
        'MJML: <mj-image align="middle">: expected left, center, right or justify',
    ]
    assert all(problem.startswith("warning ") for problem in problems)
    assert (tmp_path / "out" / "promo.py").is_file()
