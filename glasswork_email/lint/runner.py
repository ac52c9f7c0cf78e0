"""Run every lint check on every template rendered with every one of its fixtures."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from glasswork_email.compiler.config import CompileConfig
from glasswork_email.compiler.config import load_config as load_compile_config
from glasswork_email.compiler.errors import CompileError
from glasswork_email.fixture_rendering import RenderedFixture, ScratchBuild, ScratchCompiler
from glasswork_email.fixtures import FixtureError as FixtureFileError
from glasswork_email.lint import accessibility, colours, links, size, text
from glasswork_email.lint.config import LintConfig, load_lint_config
from glasswork_email.lint.findings import Check, Finding, LintSubject, Severity
from glasswork_email.lint.html_document import parse_html
from glasswork_email.lint.inline_images import find_inline_images
from glasswork_email.lint.locations import locate_problem
from glasswork_email.lint.source_map import SourceMaps

__all__ = ["ALL_CHECKS", "LintReport", "lint_build", "lint_email", "lint_templates"]

ALL_CHECKS: tuple[Check, ...] = (
    *colours.CHECKS,
    *accessibility.CHECKS,
    *size.CHECKS,
    *links.CHECKS,
    *text.CHECKS,
)
"""Every lint check, in the order they run and are listed."""

_TOPIC = re.compile(r"\{#-?\s*topic:\s*([A-Za-z0-9_.-]+)\s*-?#\}")


@dataclass
class LintReport:
    """What lint found in a templates folder.

    Parameters:
        findings: the problems, located and grouped across fixtures.
        compile_errors: templates that did not compile (nothing was linted then).
        fixture_problems: fixtures that did not validate or render, one line each.
        without_fixtures: templates with no fixture, which lint could not judge.
        emails_checked: how many rendered emails (template and fixture) were checked.
    """

    findings: list[Finding] = field(default_factory=list)
    compile_errors: list[CompileError] = field(default_factory=list)
    fixture_problems: list[str] = field(default_factory=list)
    without_fixtures: list[str] = field(default_factory=list)
    emails_checked: int = 0

    @property
    def errors(self) -> list[Finding]:
        """The findings of severity ``error``."""
        return [finding for finding in self.findings if finding.severity is Severity.ERROR]

    @property
    def ok(self) -> bool:
        """Nothing failed: it compiled, every fixture rendered, no finding is an error."""
        return not (self.compile_errors or self.fixture_problems or self.errors)


def declared_topic(template: Path) -> str | None:
    """The topic a template declares with ``{#- topic: NAME -#}``, if any."""
    match = _TOPIC.search(template.read_text(encoding="utf-8"))
    return match.group(1) if match else None


def lint_email(
    rendered: RenderedFixture,
    config: LintConfig,
    *,
    sources: Sequence[Path],
    topic: str | None = None,
    folder: Path | None = None,
    source_maps: SourceMaps | None = None,
) -> list[Finding]:
    """Every enabled check's findings in one rendered email.

    Parameters:
        rendered: the template rendered with one fixture (``rendered.email`` must be set).
        config: the project's severities.
        sources: the template's files, its own first, to point findings at a line.
        topic: the subscription topic the template declares (default: none).
        folder: the templates folder, where the files of ``cid:`` images are found (default:
            none, they are not looked for).
        source_maps: map rendered elements back to the lines that wrote them (default:
            none, findings are located by searching the sources for the offending value).
    """
    if rendered.email is None:
        raise ValueError(f"{rendered.path}: the fixture did not render; nothing to lint")
    document = parse_html(rendered.email.html)
    subject = LintSubject(
        rendered.template,
        rendered.fixture,
        rendered.email,
        document,
        topic,
        tuple(find_inline_images(document, folder)),
    )
    found = [
        (check, severity, problem)
        for check in ALL_CHECKS
        if (severity := config.severity(check)) is not Severity.OFF
        for problem in check.run(subject)
    ]
    # the marked build is made only for an email with a finding to place
    placed = source_maps is not None and any(
        problem.element is not None for _c, _s, problem in found
    )
    locator = source_maps.locator(rendered, document) if source_maps and placed else None
    return [
        Finding(
            check.id,
            severity,
            problem.message,
            locate_problem(problem, locator, sources, rendered.path),
            rendered.template,
            (rendered.fixture,),
        )
        for check, severity, problem in found
    ]


def _merge(findings: list[Finding]) -> list[Finding]:
    """One finding per problem, listing every fixture that shows it."""
    merged: dict[tuple[str, str, str, str], Finding] = {}
    for finding in findings:
        key = (finding.template, finding.check, finding.message, finding.location)
        if key in merged:
            known = merged[key]
            merged[key] = Finding(
                known.check,
                known.severity,
                known.message,
                known.location,
                known.template,
                (*known.fixtures, *finding.fixtures),
            )
        else:
            merged[key] = finding
    return list(merged.values())


def lint_build(
    build: ScratchBuild, config: LintConfig, compile_config: CompileConfig | None = None
) -> LintReport:
    """Lint every fixture of every template of a compiled build.

    Parameters:
        build: a scratch build of the templates folder.
        config: the project's severities.
        compile_config: the configuration the build was compiled with (default: the nearest
            ``pyproject.toml``'s), to map findings back to template lines.
    """
    report = LintReport(compile_errors=list(build.errors))
    if build.errors:
        return report
    found: list[Finding] = []
    source_maps = SourceMaps(build, compile_config)
    for name in sorted(build.templates):
        try:
            fixtures = build.fixtures(name)
        except FixtureFileError as error:
            report.fixture_problems.append(str(error))
            continue
        if not fixtures:
            report.without_fixtures.append(name)
            continue
        sources = build.sources(name)
        topic = declared_topic(build.templates[name])
        for fixture in fixtures:
            rendered = build.render(name, fixture)
            if rendered.errors:
                details = "; ".join(str(error) for error in rendered.errors)
                report.fixture_problems.append(
                    f"{rendered.path}: does not fit {name}'s context: {details}"
                )
                continue
            if rendered.render_error is not None:
                report.fixture_problems.append(
                    f"{rendered.path}: rendering {name} failed: {rendered.render_error}"
                )
                continue
            report.emails_checked += 1
            found.extend(
                lint_email(
                    rendered,
                    config,
                    sources=sources,
                    topic=topic,
                    folder=build.source,
                    source_maps=source_maps,
                )
            )
    report.findings = _merge(found)
    return report


def lint_templates(source: Path, config: CompileConfig | None = None) -> LintReport:
    """Compile ``source`` into a scratch package and lint every fixture of every template.

    Parameters:
        source: the templates folder.
        config: the project's configuration (default: the nearest ``pyproject.toml``'s).
    """
    if config is None:
        config = load_compile_config(source)
    lint_config = load_lint_config(source, ALL_CHECKS, config)
    with ScratchCompiler(source, config=config) as compiler:
        return lint_build(compiler.build(), lint_config, config)
