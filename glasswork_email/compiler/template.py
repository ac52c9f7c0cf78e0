"""Compile one email template: its HTML, text, subject and preheader Jinja, and its context.

The steps: inline includes and layouts (``composition``), read declarations, protect the
Jinja tags, run MJML for ``.mjml`` (``mjml``), derive text, subject and preheader from the
HTML (``text``), restore the tags, check that every result still parses, then infer the
context from the template's Jinja AST (``inference``, ``shapes``).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, TemplateSyntaxError, nodes
from jinja2.ext import GETTEXT_FUNCTIONS, Extension
from jinja2.lexer import TokenStream
from jinja2.parser import Parser

from glasswork_email.compiler.composition import SourceTree, flatten
from glasswork_email.compiler.declarations import Declaration, parse_declarations
from glasswork_email.compiler.errors import CompileError, SourceLocation, TemplateCompileError
from glasswork_email.compiler.extensions import CallableNames
from glasswork_email.compiler.inference import UsageCollector
from glasswork_email.compiler.shapes import TypeShape, resolve_context
from glasswork_email.compiler.text import html_to_text
from glasswork_email.compiler.tokens import JinjaTag, Piece, Protector, join_source
from glasswork_email.compiler.url_contexts import (
    UrlSchemes,
    check_expression_contexts,
    guard_url_slots,
)
from glasswork_email.i18n.message_ids import source_messages, unextracted_messages

__all__ = ["CompiledEmail", "compile_template"]

logger = logging.getLogger(__name__)

_MESSAGE_TAGS = frozenset({"trans", "pluralize", "endtrans"})
"""The statements of a translated message, which the plain text keeps word for word."""


@dataclass
class CompiledEmail:
    """One template, compiled: Jinja sources of each part and the inferred context.

    Parameters:
        name: the template name (file stem).
        source: the template file.
        html: the Jinja source of the HTML part (MJML already applied).
        text: the Jinja source of the plain-text part.
        subject: the Jinja source of the subject.
        preheader: the Jinja source of the preheader, or ``None``.
        context: the inferred (and declared) context type.
        dependencies: the other files it uses (partials, layouts, ``.txt``).
        declarations: the declared types, by path.
        parsed: each part's parsed Jinja (``"html"``, ``"text"``...), so code generation
            does not parse it again.
        text_written: whether the text part is a hand-written ``.txt`` (compiled like the
            HTML, as plain Jinja would) rather than derived from the HTML.
        warnings: problems that did not stop the compile (MJML's, in ``"warn"`` mode).
    """

    name: str
    source: Path
    html: str
    text: str
    subject: str
    preheader: str | None
    context: TypeShape
    dependencies: set[Path] = field(default_factory=set)
    declarations: dict[tuple[str, ...], Declaration] = field(default_factory=dict)
    parsed: dict[str, nodes.Template] = field(default_factory=dict)
    text_written: bool = False
    warnings: list[CompileError] = field(default_factory=list)


def compile_template(
    tree: SourceTree,
    source: Path,
    html_environment: Environment,
    text_environment: Environment,
    names: CallableNames | None = None,
    mjml_validation: str = "strict",
    url_schemes: UrlSchemes | None = None,
) -> CompiledEmail:
    """Compile the template at ``source``; raise ``TemplateCompileError`` with located errors.

    Parameters:
        tree: the template folder (partials and layouts are resolved in it).
        source: the ``.mjml`` or ``.html`` file.
        html_environment: environment for the HTML part (``rendering.create_environment()``).
        text_environment: environment for text parts (``create_environment(text=True)``).
        names: the filters, tests and globals templates may use, with the custom ones' types
            (default: those of ``html_environment``, untyped).
        mjml_validation: ``"strict"`` (default) or ``"warn"``: whether MJML mistakes are
            errors or ``CompiledEmail.warnings``.
        url_schemes: the schemes allowed in URL slots (default ``UrlSchemes()``).
    """
    warnings: list[CompileError] = []
    dependencies: set[Path] = set()
    pieces = flatten(tree, source, dependencies)
    jinja_source, origins = join_source(pieces, split_files=True)
    tokens = _lex(html_environment, jinja_source)
    analysed = _parse(html_environment, jinja_source, _locator(origins, source), tokens)
    check_expression_contexts(
        html_environment, jinja_source, _locator(origins, source), url_schemes, tokens
    )

    protector = Protector(hashlib.sha256(jinja_source.encode()).hexdigest()[:6])
    protected = protector.protect(pieces)
    included: list[list[Piece]] = []
    if source.suffix == ".mjml":
        from glasswork_email.compiler.mjml import compile_mjml

        def load_include(path: Path) -> list[Piece]:
            dependencies.add(path)
            included_pieces = flatten(tree, path, dependencies)
            included.append(included_pieces)
            return included_pieces

        html_protected = compile_mjml(
            pieces, protected, protector, source, load_include, mjml_validation, warnings
        )
    else:
        html_protected = protected

    converted = html_to_text(
        html_protected,
        placeholder=protector.pattern,
        is_block_placeholder=lambda p: protector.tag_for(p).kind == "block",
        is_closing_placeholder=lambda p: (protector.tag_for(p).keyword or "").startswith("end"),
        is_branch_placeholder=lambda p: protector.tag_for(p).keyword in ("else", "elif"),
        is_message_placeholder=lambda p: protector.tag_for(p).keyword in _MESSAGE_TAGS,
    )
    if not converted.subject:
        element = "<mj-title>" if source.suffix == ".mjml" else "<title>"
        raise TemplateCompileError.at(
            source, 1, 1, f"the template has no subject: add a {element} (it may use variables)"
        )
    html = protector.restore(html_protected)
    subject = protector.restore(converted.subject, plain=True)
    preheader = protector.restore(converted.preheader, plain=True) if converted.preheader else None
    text_override = source.with_suffix(".txt")
    text_pieces: list[Piece] = []
    text_locate: Callable[[int], SourceLocation] | None = None
    if text_override.is_file():
        dependencies.add(text_override)
        text_pieces = flatten(tree, text_override, dependencies)
        text = join_source(text_pieces)[0]
        text_analysed, text_origins = join_source(text_pieces, split_files=True)
        # a hand-written text renders as plain Jinja would: lexed like the HTML (no
        # trim_blocks), and not autoescaped (its part is named ``<name>.txt``)
        written = html_environment
        text_locate = _locator(text_origins, text_override)
        text_ast = _parse(written, text_analysed, text_locate)
        if text_analysed == text:  # no included file: the same source, parsed once
            parsed = {"text": text_ast}
        else:
            parsed = {"text": _parse(written, text, text_locate)}
    else:
        text = protector.restore(converted.text, plain=True)
        text_ast = _parse_generated(text_environment, text, protector, source, "plain-text")
        parsed = {"text": text_ast}
    parsed["html"] = _parse_generated(html_environment, html, protector, source, "HTML")
    guard_url_slots(parsed["html"], html_environment, source, url_schemes)
    parsed["subject"] = _parse_generated(text_environment, subject, protector, source, "subject")
    if preheader is not None:
        parsed["preheader"] = _parse_generated(
            text_environment, preheader, protector, source, "preheader"
        )

    every_piece = [*pieces, *text_pieces, *(piece for extra in included for piece in extra)]
    declarations = parse_declarations(every_piece)
    collector = UsageCollector(
        _locator(origins, source), names or CallableNames.of(html_environment)
    )
    translates = _may_translate(every_piece)
    collector.collect(analysed)
    messages = source_messages(analysed, _locator(origins, source)) if translates else []
    for extra in included:
        extra_source, extra_origins = join_source(extra, split_files=True)
        collector.locate = _locator(extra_origins, source)
        extra_ast = html_environment.parse(extra_source)
        collector.collect(extra_ast)
        if translates:
            messages += source_messages(extra_ast, collector.locate)
    if text_locate is not None:
        collector.locate = text_locate
        collector.collect(text_ast)
        if translates:
            messages += source_messages(text_ast, text_locate)
    collector.apply_fallbacks()
    if collector.errors:
        raise TemplateCompileError(sorted(collector.errors, key=_error_order))
    if translates:
        unextracted = unextracted_messages(parsed, messages, SourceLocation(source, 1))
        if unextracted:
            raise TemplateCompileError(unextracted)
    context = resolve_context(collector.roots, declarations)
    return CompiledEmail(
        text_written=text_override.is_file(),
        warnings=warnings,
        name=source.stem,
        source=source,
        html=html,
        text=text,
        subject=subject,
        preheader=preheader,
        context=context,
        dependencies=dependencies,
        declarations=declarations,
        parsed=parsed,
    )


def _may_translate(pieces: list[Piece]) -> bool:
    """Whether a tag among ``pieces`` calls a gettext function or is a ``{% trans %}``: the
    parts made of them translate nothing otherwise (their Jinja is these tags), so there are
    no messages to look for in their parsed code."""
    return any(
        isinstance(piece, JinjaTag)
        and (
            piece.keyword == "trans"
            or any(kind == "name" and value in GETTEXT_FUNCTIONS for kind, value in piece.tokens)
        )
        for piece in pieces
    )


def _error_order(error: CompileError) -> tuple[str, int, int]:
    location = error.location
    return (location.file.as_posix(), location.line, location.column)


def _locator(origins: list[SourceLocation], fallback: Path) -> Callable[[int], SourceLocation]:
    def locate(line: int) -> SourceLocation:
        if 0 < line < len(origins):
            return origins[line]
        return SourceLocation(fallback, max(line, 1))

    return locate


def _lex(environment: Environment, source: str) -> list[tuple[int, str, str]] | None:
    """The raw tokens of ``source`` (``Environment.lex``), to parse it and check where its
    expressions land from one lexing; ``None`` when they cannot be shared: the source does not
    lex (the parser then reports the first error, in its order) or an extension rewrites the
    source or the token stream before parsing."""
    if any(
        type(extension).preprocess is not Extension.preprocess
        or type(extension).filter_stream is not Extension.filter_stream
        for extension in environment.iter_extensions()
    ):
        return None
    try:
        return list(environment.lex(source))
    except TemplateSyntaxError:
        return None


def _parse(
    environment: Environment,
    source: str,
    locate: Callable[[int], SourceLocation],
    tokens: list[tuple[int, str, str]] | None = None,
) -> nodes.Template:
    try:
        if tokens is None:
            return environment.parse(source)
        parser = Parser(environment, source)
        # the tokens Environment.parse would lex again, wrapped as it wraps them
        parser.stream = TokenStream(environment.lexer.wrap(iter(tokens)), None, None)
        return parser.parse()
    except TemplateSyntaxError as error:
        location = locate(error.lineno)
        raise TemplateCompileError.at(
            location.file, location.line, location.column, f"Jinja: {error.message}"
        ) from None


def _parse_generated(
    environment: Environment, source: str, protector: Protector, template: Path, part: str
) -> nodes.Template:
    try:
        return environment.parse(source)
    except TemplateSyntaxError as error:
        lines = source.splitlines()
        line = lines[error.lineno - 1] if 0 < error.lineno <= len(lines) else ""
        culprit = next(
            (tag for tag in protector.tags if tag.kind == "block" and tag.text.strip() in line),
            None,
        )
        location = culprit.location if culprit else SourceLocation(template, 1)
        raise TemplateCompileError.at(
            location.file,
            location.line,
            location.column,
            f"the {part} part loses the Jinja structure here ({error.message}): keep "
            "statements around whole elements"
            + (", or write a sibling .txt template" if part == "plain-text" else ""),
        ) from None
