"""Running a compile: the pending templates compiled in forked worker processes.

Each worker compiles its share of the templates and creates, in the staging folder, the
files of each one that compiled (unless an error is already known). Whatever a worker finds,
it reports as an outcome: a template's errors never stop the others, and an unexpected
exception in one template is reported as that template's error, so every template's errors
come back in one run, whichever process found them. Work that does not depend on the
templates' outcomes (the message catalogs) runs alongside, in a process of its own, so a
compile keeps every core busy until its last template.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from glasswork_email.compiler.config import CompileConfig
from glasswork_email.compiler.errors import CompileError, SourceLocation
from glasswork_email.compiler.planning import relative_source

if TYPE_CHECKING:
    from glasswork_email.compiler.new_files import CreatedFiles

__all__ = ["PARALLEL_MINIMUM_TEMPLATES", "TemplateOutcome", "compile_templates"]

logger = logging.getLogger(__name__)

PARALLEL_MINIMUM_TEMPLATES = 8
"""Below this many templates to compile, forking worker processes costs more than it saves."""

A = TypeVar("A")


@dataclass
class TemplateOutcome:
    """What compiling one template produced (picklable: crosses process boundaries).

    Parameters:
        name: the template's name.
        path: its file.
        files: the generated files (``GeneratedFile``), when it compiled.
        dependencies: the files it uses, relative to the templates folder.
        exports: what its generated module exports.
        errors: its problems, when it did not compile.
        created: what of its files the worker created (``None`` when it failed).
        warnings: problems that did not stop its compile.
        variants: the locales of its per-locale variants.
    """

    name: str
    path: Path
    files: list[Any] = field(default_factory=list)
    dependencies: list[str] = field(default_factory=list)
    exports: list[str] = field(default_factory=list)
    errors: list[CompileError] = field(default_factory=list)
    created: CreatedFiles | None = None
    warnings: list[CompileError] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)


_Variants = dict[str, dict[str, Path]]
_Chunk = tuple[Path, Path | None, list[tuple[str, Path]], CompileConfig, _Variants]
"""A worker's share: the templates folder, the staging folder (``None``: create no files
yet), the templates to compile, the configuration and the per-locale variants by email."""


def compile_templates(
    source: Path,
    staging: Path | None,
    pending: dict[str, Path],
    config: CompileConfig,
    alongside: Callable[[], A],
    variants: _Variants | None = None,
) -> tuple[list[TemplateOutcome], A]:
    """Compile ``pending`` (name → file), in worker processes when there are enough of them,
    and run ``alongside`` meanwhile; return the outcomes and what ``alongside`` returned.

    Parameters:
        source: the templates folder.
        staging: where workers create the files of the templates that compiled (``None``:
            create nothing, an error is already known).
        pending: the templates to compile.
        config: the compile configuration.
        alongside: other work of the compile (building the catalogs); with worker processes
            it runs in a process of its own (its result must be picklable).
        variants: the per-locale variants of the emails, by email and locale (default none).
    """
    variants = variants or {}
    if config.extensions:  # a ConfigError here, not in a worker; workers inherit the modules
        from glasswork_email.compiler.extensions import prepare_environment
        from glasswork_email.rendering import create_environment

        prepare_environment(create_environment(), config)
    items = sorted(pending.items())
    workers = _worker_count(len(items))
    if workers == 1:
        return _compile_chunk((source, staging, items, config, variants)), alongside()
    from glasswork_email.compiler.parallel import run_forked

    _import_compiler()  # once, before forking, so every worker inherits it
    chunks = [
        (source, staging, items[index::workers], config, variants) for index in range(workers)
    ]
    # the caller compiles the first chunk; ``alongside`` and the other chunks run in children
    tasks: list[Callable[[], object]] = [partial(_compile_chunk, chunk) for chunk in chunks]
    tasks.insert(1, alongside)
    results = run_forked(_call, tasks)
    outcomes = [
        outcome
        for index, result in enumerate(results)
        if index != 1
        for outcome in cast(list[TemplateOutcome], result)
    ]
    return outcomes, cast(A, results[1])


def _call(task: Callable[[], object]) -> object:
    return task()


def _worker_count(templates: int) -> int:
    from glasswork_email.compiler.parallel import can_fork

    if templates < PARALLEL_MINIMUM_TEMPLATES or not can_fork():
        return 1
    return max(1, min(os.cpu_count() or 1, 4, templates // 4))


def _import_compiler() -> None:
    """Import what compiling a template needs (Jinja, MJML, the compiler)."""
    import mjml  # noqa: F401

    import glasswork_email.compiler.codegen
    import glasswork_email.compiler.mjml
    import glasswork_email.compiler.new_files
    import glasswork_email.compiler.template
    import glasswork_email.rendering  # noqa: F401


def _compile_chunk(job: _Chunk) -> list[TemplateOutcome]:
    """Compile some templates of the folder ``job[0]`` (in a worker process or inline),
    creating their files under ``job[1]`` (when it is not ``None``)."""
    from glasswork_email.compiler.codegen import generate_template
    from glasswork_email.compiler.composition import SourceTree
    from glasswork_email.compiler.errors import TemplateCompileError
    from glasswork_email.compiler.extensions import CallableNames, prepare_environment
    from glasswork_email.compiler.new_files import CreatedFiles, create_new_files
    from glasswork_email.compiler.template import CompiledEmail, compile_template
    from glasswork_email.compiler.url_contexts import UrlSchemes
    from glasswork_email.compiler.variants import compile_variant
    from glasswork_email.rendering import create_compile_environment

    source, staging, items, config, variants = job
    html_environment = prepare_environment(create_compile_environment(), config)
    text_environment = prepare_environment(create_compile_environment(text=True), config)
    names = CallableNames.of(html_environment, config)
    url_schemes = UrlSchemes.from_config(config.raw, config.file)
    tree = SourceTree(source, html_environment)
    outcomes: list[TemplateOutcome] = []

    def compile_one(path: Path) -> CompiledEmail:
        return compile_template(
            tree,
            path,
            html_environment,
            text_environment,
            names,
            config.mjml_validation,
            url_schemes,
        )

    for name, path in items:
        try:
            compiled = compile_one(path)
            compiled_variants = {
                locale: compile_variant(compiled, variant, locale, compile_one)
                for locale, variant in sorted(variants.get(name, {}).items())
            }
            files, exports = generate_template(
                compiled,
                html_environment,
                text_environment,
                source,
                config.extensions,
                compiled_variants,
            )
        except TemplateCompileError as error:
            outcomes.append(TemplateOutcome(name, path, errors=error.errors))
            continue
        except Exception as error:  # a compiler bug: this template's error, not the run's
            logger.exception("compiling %s failed unexpectedly", path)
            message = (
                f"the compiler failed on this template ({type(error).__name__}: {error}); "
                "please report it with the template"
            )
            outcomes.append(TemplateOutcome(name, path, errors=[_located(path, message)]))
            continue
        dependencies = sorted(relative_source(p, source) for p in compiled.dependencies)
        created = CreatedFiles()
        if staging is not None:
            create_new_files(staging, files, created)
        outcomes.append(
            TemplateOutcome(
                name,
                path,
                files,
                dependencies,
                exports,
                created=created,
                warnings=compiled.warnings,
                variants=list(compiled_variants),
            )
        )
    return outcomes


def _located(path: Path, message: str) -> CompileError:
    return CompileError(SourceLocation(path, 1), message)
