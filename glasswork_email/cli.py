"""The ``glasswork-email`` command: compile email templates into a typed Python package.

    glasswork-email compile [SOURCE] --out PATH [--config FILE] [--check [--lint]] [--watch]
                            [--force] [--explain NAME]
    glasswork-email lint [SOURCE] [--config FILE]
    glasswork-email preview [SOURCE] [--port N] [--transport ses|smtp ...]
    glasswork-email i18n {extract,init,update} [LOCALE] [--templates SOURCE]

Imports only the standard library and the compiler's manifest code up front: Jinja, pydantic
and MJML load only when a template must be compiled.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from glasswork_email.compiler.config import CompileConfig, ConfigError, load_config

__all__ = ["main"]

DEFAULT_SOURCE = Path("templates")
WATCH_INTERVAL_SECONDS = 0.5
"""How often ``--watch`` looks for changed files, in seconds."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="glasswork-email", description="Compile email templates into a typed package."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    compile_command = commands.add_parser(
        "compile", help="compile templates (MJML/HTML with Jinja) into a Python package"
    )
    compile_command.add_argument(
        "source",
        nargs="?",
        type=Path,
        default=DEFAULT_SOURCE,
        help="the templates folder (default: ./templates)",
    )
    compile_command.add_argument(
        "--out", type=Path, required=True, help="the generated package's directory"
    )
    mode = compile_command.add_mutually_exclusive_group()
    mode.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when the generated package is missing or stale; write nothing (for CI)",
    )
    mode.add_argument("--watch", action="store_true", help="recompile whenever a file changes")
    mode.add_argument(
        "--explain", metavar="NAME", help="print the context type inferred for template NAME"
    )
    compile_command.add_argument(
        "--force", action="store_true", help="recompile every template, changed or not"
    )
    compile_command.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="a TOML file with the compile configuration (default: [tool.glasswork-email] "
        "of the nearest pyproject.toml at or above SOURCE)",
    )
    compile_command.add_argument(
        "--lint", action="store_true", help="with --check: also lint every fixture's rendering"
    )
    lint_command = commands.add_parser(
        "lint", help="render every template with each fixture and check what people receive"
    )
    lint_command.add_argument(
        "source",
        nargs="?",
        type=Path,
        default=DEFAULT_SOURCE,
        help="the templates folder (default: ./templates)",
    )
    lint_command.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="a TOML file with the configuration (default: the nearest pyproject.toml)",
    )
    from glasswork_email.preview.command import add_preview_command

    add_preview_command(commands, DEFAULT_SOURCE)

    from glasswork_email.i18n.commands import add_i18n_command

    add_i18n_command(commands)
    return parser


def _print_errors(errors: Sequence[object]) -> None:
    for error in errors:
        print(error, file=sys.stderr)


def _print_warnings(warnings: Sequence[object]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def _compile_once(source: Path, out: Path, config: CompileConfig, *, force: bool) -> int:
    from glasswork_email.compiler.project import ProjectCompiler

    started = time.perf_counter()
    compiler = ProjectCompiler(source, out, progress=print, config=config)
    report = compiler.compile(force=force)
    elapsed = time.perf_counter() - started
    _print_warnings(report.warnings)
    if report.errors:
        _print_errors(report.errors)
        print(
            f"{len(report.errors)} error(s); {out} left unchanged ({elapsed:.2f} s)",
            file=sys.stderr,
        )
        return 1
    print(
        f"{len(report.compiled)} compiled, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed → {out} ({elapsed:.2f} s)"
    )
    return 0


def _check(source: Path, out: Path, config: CompileConfig) -> int:
    from glasswork_email.compiler.project import ProjectCompiler

    report = ProjectCompiler(source, out, progress=print, config=config).check()
    _print_warnings(report.warnings)
    if report.errors:
        _print_errors(report.errors)
        return 1
    if report.stale:
        for reason in report.stale:
            print(f"stale: {reason}", file=sys.stderr)
        print(f"{out} is out of date: run `glasswork-email compile {source} --out {out}`")
        return 1
    print(f"{out} is up to date ({len(report.unchanged)} templates)")
    return 0


def _snapshot(source: Path) -> dict[Path, float]:
    return {path: path.stat().st_mtime for path in source.rglob("*") if path.is_file()}


def _watch(source: Path, out: Path, config: CompileConfig) -> int:
    print(f"watching {source} (Ctrl-C to stop)")
    _compile_once(source, out, config, force=False)
    seen = _snapshot(source)
    try:
        while True:
            time.sleep(WATCH_INTERVAL_SECONDS)
            current = _snapshot(source)
            if current != seen:
                seen = current
                _compile_once(source, out, config, force=False)
    except KeyboardInterrupt:
        return 0


def _explain(source: Path, name: str, config: CompileConfig) -> int:
    from glasswork_email.compiler.errors import TemplateCompileError
    from glasswork_email.compiler.explain import explain_template

    try:
        print(explain_template(source, name, config))
    except TemplateCompileError as error:
        _print_errors(error.errors)
        return 1
    except LookupError as error:
        print(error.args[0], file=sys.stderr)
        return 1
    return 0


def _lint(source: Path, config: CompileConfig) -> int:
    from glasswork_email.lint import LintConfigError, lint_templates

    try:
        report = lint_templates(source, config)
    except LintConfigError as error:
        print(f"configuration: {error}", file=sys.stderr)
        return 2
    _print_errors(report.compile_errors)
    _print_errors(report.fixture_problems)
    for name in report.without_fixtures:
        print(f"{source}: {name} has no fixture ({name}.json): not linted", file=sys.stderr)
    _print_errors(report.findings)
    errors = len(report.errors)
    warnings = len(report.findings) - errors
    print(
        f"lint: {report.emails_checked} rendered email(s) checked, {errors} error(s), "
        f"{warnings} warning(s)"
    )
    return 0 if report.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``glasswork-email`` command; returns the exit status.

    Parameters:
        argv: the arguments (default: ``sys.argv[1:]``).
    """
    parser = _parser()
    arguments = parser.parse_args(argv)
    if arguments.command == "i18n":
        from glasswork_email.i18n.commands import run_i18n_command

        return run_i18n_command(arguments)
    source: Path = arguments.source
    if not source.is_dir():
        print(f"{source}: not a folder of templates", file=sys.stderr)
        return 2
    if arguments.command == "preview":
        from glasswork_email.preview.command import run_preview

        return run_preview(arguments)
    if arguments.command == "compile" and arguments.lint and not arguments.check:
        parser.error("--lint goes with --check")
    try:
        config = load_config(source, arguments.config)
        if arguments.command == "lint":
            return _lint(source, config)
        out: Path = arguments.out
        if arguments.explain:
            return _explain(source, arguments.explain, config)
        if arguments.check:
            status = _check(source, out, config)
            return max(status, _lint(source, config)) if arguments.lint else status
        if arguments.watch:
            return _watch(source, out, config)
        return _compile_once(source, out, config, force=arguments.force)
    except ConfigError as error:
        print(f"configuration: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
