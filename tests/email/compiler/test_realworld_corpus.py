"""Templates written by others (``shared/realworld-templates``) compile, render and read right.

The corpus is read in place, never copied into the repository. For each of its emails, as
found and as adapted (``realworld-templates/README.md``): it compiles, or fails with
``file:line:col`` messages only; a compiled one renders with a sample context that fills every
field; its HTML is what plain Jinja (then MJML, for ``.mjml``) gives for the same context; its
text part holds no template tag and no word glued from two.
"""

from __future__ import annotations

import html
import importlib
import os
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import jinja2
import pytest

from glasswork_email.compiler.config import CompileConfig
from glasswork_email.compiler.project import CompileReport, ProjectCompiler, discover_templates
from tests.email.compiler.realworld import app_globals
from tests.email.compiler.realworld.sample_values import sample_context
from tests.email.html_words import html_words

REPO = Path(__file__).resolve().parents[3]
LOCATED = re.compile(r"^(?P<file>/[^:]+):(?P<line>\d+):(?P<column>\d+): \S")


CORPUS_VARIABLE = "GLASSWORK_CORPUS"
"""The environment variable naming the corpus folder, when it is not found beside the repository."""


def _find_corpus() -> tuple[Path | None, str]:
    """The corpus folder: ``$GLASSWORK_CORPUS``, else ``shared/realworld-templates`` in a folder
    at or above the repository's parent (``../shared/realworld-templates`` in a checkout); or
    ``None`` and where it was looked for."""
    given = os.environ.get(CORPUS_VARIABLE)
    if given:
        if Path(given).is_dir():
            return Path(given), ""
        return None, f"{CORPUS_VARIABLE}={given}: no such folder"
    looked = [folder / "shared" / "realworld-templates" for folder in REPO.parents]
    for candidate in looked:
        if candidate.is_dir():
            return candidate, ""
    return None, (
        "the real-world template corpus was not found; looked in "
        + ", ".join(str(candidate) for candidate in looked)
        + f": set {CORPUS_VARIABLE} to the folder holding its as-found/ and adapted/"
    )


CORPUS, CORPUS_MISSING = _find_corpus()


@pytest.fixture(autouse=True)
def _corpus_present() -> None:
    """Without the corpus every test here fails, saying where it looked; CI must never skip
    the corpus, and the rest of the suite still runs."""
    if CORPUS is None:
        pytest.fail(CORPUS_MISSING, pytrace=False)


OWN = Path(__file__).parent / "realworld" / "own"
"""Templates of our own in the corpus' styles (Postmark tables, Mailgun alerts, MJML
newsletters, a Flask app's layouts with ``url_for``)."""
_FOUND = CORPUS or Path(CORPUS_MISSING)  # a missing folder lists no templates
SOURCES = {"as-found": _FOUND / "as-found", "adapted": _FOUND / "adapted", "own": OWN}
EXTENSIONS = CompileConfig(extensions=("tests.email.compiler.realworld.app_globals",))


class _Compiled:
    def __init__(self, variant: str, report: CompileReport, package: ModuleType | None) -> None:
        self.variant = variant
        self.report = report
        self.package = package


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, _Compiled]:
    """Each variant compiled, one template at a time (a failure leaves the others compiled)."""
    out = tmp_path_factory.mktemp("realworld")
    sys.path.insert(0, str(out))
    results: dict[str, _Compiled] = {}
    for variant, source in SOURCES.items():
        package = f"realworld_{variant.replace('-', '_')}"
        report = ProjectCompiler(source, out / package, lambda _: None, EXTENSIONS).compile()
        module = None
        if not report.errors:
            importlib.invalidate_caches()
            module = importlib.import_module(package)
        results[variant] = _Compiled(variant, report, module)
    yield results
    sys.path.remove(str(out))


def _emails(variant: str) -> list[Path]:
    return discover_templates(SOURCES[variant])


def _failed(report: CompileReport) -> set[str]:
    return {Path(str(error.location.file)).stem for error in report.errors}


def test_every_error_is_located_in_a_corpus_file(compiled: dict[str, _Compiled]) -> None:
    for result in compiled.values():
        for error in result.report.errors:
            match = LOCATED.match(str(error))
            assert match, str(error)
            lines = Path(match["file"]).read_text().splitlines()
            assert 1 <= int(match["line"]) <= len(lines), str(error)
            assert "Traceback" not in str(error)


def test_as_found_the_templates_without_a_subject_or_with_foreign_filters_fail(
    compiled: dict[str, _Compiled],
) -> None:
    result = compiled["as-found"]
    messages = [str(error) for error in result.report.errors]
    no_subject = [m for m in messages if "the template has no subject" in m]
    assert len(no_subject) == 22  # the sending API gives Postmark's, Mailgun's... subjects
    assert any("unknown filter 'interval'" in m for m in messages)  # Lemur's own filters
    emails = {path.stem for path in _emails("as-found")}
    assert len(emails) == 33
    assert len(emails - _failed(result.report)) == 9  # compile as found, url_for registered


def test_adapted_every_template_compiles(compiled: dict[str, _Compiled]) -> None:
    result = compiled["adapted"]
    assert [str(error) for error in result.report.errors] == []
    assert result.package is not None
    assert len(result.package.templates.names()) == 33


def _plain_environment(folder: Path) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.globals.update(app_globals.globals)
    return environment


def _plain_html(folder: Path, path: Path, context: dict[str, Any]) -> str:
    rendered = _plain_environment(folder).get_template(path.relative_to(folder).as_posix())
    output = rendered.render(context)
    if path.suffix == ".mjml":
        import mjml

        # the compiler's own MJML option: HTML comments left out
        return str(mjml.mjml2html(output, disable_comments=True))
    return output


def _variant_emails() -> list[tuple[str, Path]]:
    return [(variant, path) for variant in ("adapted", "own") for path in _emails(variant)]


def test_our_own_templates_compile(compiled: dict[str, _Compiled]) -> None:
    assert [str(error) for error in compiled["own"].report.errors] == []
    assert len(_emails("own")) == 4


@pytest.mark.parametrize(
    ("variant", "path"), _variant_emails(), ids=lambda item: getattr(item, "stem", item)
)
def test_each_email_renders_as_plain_jinja_and_its_text_reads_right(
    compiled: dict[str, _Compiled], variant: str, path: Path
) -> None:
    package = compiled[variant].package
    assert package is not None
    template = package.templates.get(path.stem)
    values = sample_context(template.context_model)
    context = template.context_model.model_validate(values)
    rendered = template.render(context)
    folder = SOURCES[variant]
    plain = _plain_html(folder, path, context.model_dump())
    assert _normalised(rendered.html) == _normalised(plain)
    for marker in ("{{", "}}", "{%", "%}", "{#", "#}", "gwj"):
        assert marker not in rendered.text, f"{marker!r} in the text of {path.name}"
    seen = html_words(rendered.html) | html_words(html.unescape(rendered.html))
    if path.with_suffix(".txt").is_file():
        seen |= set(re.findall(r"\w+", _plain_text(folder, path, context.model_dump())))
    glued = sorted(set(re.findall(r"\w+", rendered.text)) - seen)
    assert glued == [], f"words in the text part but not in the email: {glued}"


def _plain_text(folder: Path, path: Path, context: dict[str, Any]) -> str:
    """What plain Jinja makes of the email's hand-written ``.txt``."""
    environment = _plain_environment(folder)
    environment.autoescape = False
    relative = path.with_suffix(".txt").relative_to(folder).as_posix()
    return environment.get_template(relative).render(context)


def _normalised(markup: str) -> str:
    """``markup`` without the whitespace between two tags, which renders as nothing there:
    MJML drops it when it sees the rendered template, and keeps the template's own around
    Jinja statements it sees as text."""
    return re.sub(r">\s+<", "><", markup).strip()
