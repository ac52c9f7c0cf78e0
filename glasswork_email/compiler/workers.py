"""Running a compile: the pending templates compiled in forked worker processes.

The workers share the templates out as they go (``parallel.run_shared``): each compiles the
next one as soon as it is done with its last, and creates, in the staging folder, the files of
each one that compiled (unless an error is already known). Whatever a worker finds, it reports
as an outcome: a template's errors never stop the others, and an unexpected exception in one
template is reported as that template's error, so every template's errors come back in one
run, whichever process found them. Work that does not depend on the templates' outcomes (the
message catalogs) runs in a process of its own, started before the compiler is imported and
set up, so it has a core to itself while the caller does that; a compile keeps every core busy
until its last template.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from glasswork_email.compiler.config import CompileConfig
from glasswork_email.compiler.errors import CompileError, SourceLocation
from glasswork_email.compiler.planning import relative_source

if TYPE_CHECKING:
    from glasswork_email.compiler.new_files import CreatedFiles
    from glasswork_email.compiler.template import CompiledEmail

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
"""The per-locale variants of the emails: by email, each locale's file."""


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

    With worker processes, ``alongside`` starts first, in a process of its own, so it uses the
    core that would otherwise wait while the compiler is imported and set up; then the workers
    share the templates out, each taking the next one as soon as it is done with its last, so
    all of them finish together.

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
    items = sorted(pending.items())
    processes = _process_count(len(items))
    if processes == 1:
        compiler = _TemplateCompiler(source, staging, config, variants or {})
        return [compiler.compile(name, path) for name, path in items], alongside()
    from glasswork_email.compiler.parallel import ForkedCall, run_shared

    started = ForkedCall(alongside)
    try:
        # made once, before forking: every worker inherits the environments and the imports
        compiler = _TemplateCompiler(source, staging, config, variants or {})
        _import_compiler()
        outcomes = run_shared(lambda item: compiler.compile(*item), items, processes)
    finally:
        done = started.result()
    return outcomes, done


def _import_compiler() -> None:
    """Import what compiling a template needs (Jinja, MJML, the compiler)."""
    import mjml  # noqa: F401

    import glasswork_email.compiler.codegen
    import glasswork_email.compiler.mjml
    import glasswork_email.compiler.new_files
    import glasswork_email.compiler.template  # noqa: F401


def _process_count(templates: int) -> int:
    from glasswork_email.compiler.parallel import can_fork

    if templates < PARALLEL_MINIMUM_TEMPLATES or not can_fork():
        return 1
    return max(1, min(os.cpu_count() or 1, 4, templates // 4))


class _TemplateCompiler:
    """Compiles templates of one folder one at a time, creating each one's files in the
    staging folder (in a worker process or inline).

    Parameters:
        source: the templates folder.
        staging: where to create the files (``None``: create none).
        config: the compile configuration (raises ``ConfigError`` when its extensions do not
            load).
        variants: the per-locale variants, by email and locale.
    """

    def __init__(
        self, source: Path, staging: Path | None, config: CompileConfig, variants: _Variants
    ) -> None:
        from glasswork_email.compiler.composition import SourceTree
        from glasswork_email.compiler.extensions import CallableNames, prepare_environment
        from glasswork_email.compiler.url_contexts import UrlSchemes
        from glasswork_email.rendering import create_compile_environment

        self.source = source
        self.staging = staging
        self.config = config
        self.variants = variants
        self.html_environment = prepare_environment(create_compile_environment(), config)
        self.text_environment = prepare_environment(create_compile_environment(text=True), config)
        self.names = CallableNames.of(self.html_environment, config)
        self.url_schemes = UrlSchemes.from_config(config.raw, config.file)
        self.tree = SourceTree(source, self.html_environment)

    def compile(self, name: str, path: Path) -> TemplateOutcome:
        """Compile the template ``name`` at ``path`` and create its files; its errors, and an
        unexpected exception, come back in the outcome."""
        from glasswork_email.compiler.codegen import generate_template
        from glasswork_email.compiler.errors import TemplateCompileError
        from glasswork_email.compiler.new_files import CreatedFiles, create_new_files
        from glasswork_email.compiler.variants import compile_variant

        try:
            compiled = self._compile_one(path)
            compiled_variants = {
                locale: compile_variant(compiled, variant, locale, self._compile_one)
                for locale, variant in sorted(self.variants.get(name, {}).items())
            }
            files, exports = generate_template(
                compiled,
                self.html_environment,
                self.text_environment,
                self.source,
                self.config.extensions,
                compiled_variants,
            )
        except TemplateCompileError as error:
            return TemplateOutcome(name, path, errors=error.errors)
        except Exception as error:  # a compiler bug: this template's error, not the run's
            logger.exception("compiling %s failed unexpectedly", path)
            message = (
                f"the compiler failed on this template ({type(error).__name__}: {error}); "
                "please report it with the template"
            )
            return TemplateOutcome(name, path, errors=[_located(path, message)])
        dependencies = sorted(relative_source(p, self.source) for p in compiled.dependencies)
        created = CreatedFiles()
        if self.staging is not None:
            create_new_files(self.staging, files, created)
        return TemplateOutcome(
            name,
            path,
            files,
            dependencies,
            exports,
            created=created,
            warnings=compiled.warnings,
            variants=list(compiled_variants),
        )

    def _compile_one(self, path: Path) -> CompiledEmail:
        from glasswork_email.compiler.template import compile_template

        return compile_template(
            self.tree,
            path,
            self.html_environment,
            self.text_environment,
            self.names,
            self.config.mjml_validation,
            self.url_schemes,
        )


def _located(path: Path, message: str) -> CompileError:
    return CompileError(SourceLocation(path, 1), message)
