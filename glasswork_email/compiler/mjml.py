"""Compile MJML with Jinja inside: protect the tags, run MJML, check every tag came back.

MJML (mjml-python, a binding of the Rust MRML) only sees markup and opaque placeholders; its
``include_loader`` protects ``<mj-include>``d files the same way. Placeholders that MJML drops
(Jinja inside an opening tag, in ``mj-image`` / ``mj-column`` widths it recomputes...) are
reported at the Jinja tag's file and line. mjml is imported on first use only, so the CLI
starts fast when nothing needs compiling.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from glasswork_email.compiler.errors import CompileError, SourceLocation, TemplateCompileError
from glasswork_email.compiler.tokens import Piece, Protector

__all__ = ["compile_mjml"]

logger = logging.getLogger(__name__)

_MJML_ROOT_START = re.compile(r"<mjml[\s>]")
_MJML_ROOT_END = "</mjml>"
_OPENING_TAG = re.compile(r"<(mj-[a-z-]+|mjml)\b[^>]*>")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")

IncludeLoader = Callable[[Path], list[Piece]]


def compile_mjml(
    pieces: Sequence[Piece],
    protected: str,
    protector: Protector,
    file: Path,
    load_include: IncludeLoader,
    validation: str = "strict",
    warnings: list[CompileError] | None = None,
) -> str:
    """The HTML MJML makes of ``protected`` (placeholders kept), every placeholder checked.

    Parameters:
        pieces: the flattened template (its layouts and includes inlined).
        protected: ``protector.protect(pieces)``: the MJML with Jinja tags as placeholders.
        protector: holds the tags behind the placeholders (included files add theirs).
        file: the template, for error locations.
        load_include: returns the pieces of a file named by ``<mj-include path="...">``.
        validation: ``"strict"`` (default): unknown MJML tags and attributes and invalid
            values are errors; ``"warn"``: they go to ``warnings`` instead.
        warnings: collects the MJML problems in ``"warn"`` mode.
    """
    try:
        import mjml  # deferred: only needed when something compiles
    except ImportError:
        raise TemplateCompileError.at(
            file, 1, 1, "MJML templates need mjml-python: pip install 'glasswork[compile]'"
        ) from None

    start = _MJML_ROOT_START.search(protected)
    end = protected.rfind(_MJML_ROOT_END)
    if start is None or end < 0:
        raise TemplateCompileError.at(file, 1, 1, "an .mjml template needs an <mjml> root element")
    end += len(_MJML_ROOT_END)
    prefix, body, suffix = (
        protected[: start.start()],
        protected[start.start() : end],
        protected[end:],
    )
    for outside, outside_start in ((prefix, 0), (suffix, end)):
        blanked = protector.pattern.sub(lambda match: " " * len(match.group(0)), outside)
        if blanked.strip():
            stray = protector.pattern.sub("", outside).strip()
            offset = outside_start + len(blanked) - len(blanked.lstrip())
            location = protector.locate(pieces, protected, offset)
            raise TemplateCompileError.at(
                location.file,
                location.line,
                location.column,
                f"text outside <mjml>...</mjml>: {stray[:40]!r}",
            )

    from glasswork_email.compiler.mjml_validation import validate_mjml

    problems = validate_mjml(
        body,
        lambda offset: protector.locate(pieces, protected, start.start() + offset),
        protector.pattern,
    )
    if problems and validation == "strict":
        raise TemplateCompileError(problems)
    if warnings is not None:
        warnings.extend(problems)

    include_errors: list[CompileError] = []

    def include_loader(path: str) -> str:
        target = file.parent / path
        try:
            return protector.protect(load_include(target))
        except TemplateCompileError as error:
            include_errors.extend(error.errors)
        except OSError as error:
            include_errors.append(
                CompileError(SourceLocation(file, 1), f"<mj-include path={path!r}>: {error}")
            )
        return ""

    try:
        html = mjml.mjml2html(body, disable_comments=True, include_loader=include_loader)
    except (ValueError, RuntimeError) as error:
        if include_errors:
            raise TemplateCompileError(include_errors) from None
        raise _explain_mjml_error(str(error), body, protector, file) from None
    if include_errors:
        raise TemplateCompileError(include_errors)
    html = prefix + html + suffix
    _check_placeholders(html, protector)
    return html


def _explain_mjml_error(
    message: str, body: str, protector: Protector, file: Path
) -> TemplateCompileError:
    """Point at the likeliest cause of an MJML parse error: Jinja inside an opening tag."""
    for tag_match in _OPENING_TAG.finditer(body):
        unquoted = _QUOTED.sub("", tag_match.group(0))
        placeholder = protector.pattern.search(unquoted)
        if placeholder is not None:
            tag = protector.tag_of(placeholder)
            return TemplateCompileError.at(
                tag.location.file,
                tag.location.line,
                tag.location.column,
                f"Jinja inside the opening tag <{tag_match.group(1)}>: MJML cannot parse it; "
                "put Jinja in attribute values or element content "
                f"(MJML said: {message})",
            )
    return TemplateCompileError.at(file, 1, 1, f"MJML: {message}")


def _check_placeholders(html: str, protector: Protector) -> None:
    present = set(protector.indexes_in(html))
    errors = [
        CompileError(
            tag.location,
            f"MJML dropped the Jinja tag {tag.text.strip()!r}: Jinja cannot go inside an MJML "
            "opening tag or an attribute MJML recomputes (mj-image/mj-column width...); "
            "put it in an attribute value such as href/src/alt, in element content, or "
            "wrap the markup in <mj-raw>",
        )
        for index, tag in enumerate(protector.tags)
        if index not in present and tag.kind != "comment"
    ]
    if errors:
        raise TemplateCompileError(errors)
