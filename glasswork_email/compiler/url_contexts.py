"""The URL-safety pass: decide from a template's markup where each expression lands.

Two steps, both driven by ``HtmlContextTracker``:

- ``check_expression_contexts`` reads the template source (HTML or MJML, partials inlined) and
  refuses, with ``file:line:col``, an expression that escaping cannot protect: inside
  ``<script>``, in an event-handler attribute (``onclick``), in an unquoted attribute value,
  as an attribute or tag name, or after a literal scheme that is not allowed
  (``href="javascript:{{ code }}"``).
- ``guard_url_slots`` walks the parsed HTML part (after MJML) and wraps every expression that
  decides the scheme of a URL attribute (``href``, ``src``, ``background``, a CSS ``url(``
  in ``style``...) in the ``url_check`` filter with the schemes allowed there, so rendering
  costs one check per URL slot. An expression after a fixed prefix (``https://``, ``/``,
  ``?``, ``#``) cannot change the scheme and is left alone. Expressions written into CSS
  (``<style>``, ``<mj-style>``, a ``style`` attribute) are wrapped in ``css_check``, which
  lets one plain CSS value through and nothing that adds declarations or rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, nodes

from glasswork_email.compiler.config import ConfigError
from glasswork_email.compiler.errors import CompileError, SourceLocation, TemplateCompileError
from glasswork_email.compiler.html_context import Context, HtmlContextTracker, Slot
from glasswork_email.css_safety import CSS_CHECK_FILTER
from glasswork_email.url_safety import DEFAULT_IMAGE_SCHEMES, DEFAULT_LINK_SCHEMES, URL_CHECK_FILTER

__all__ = [
    "CSS_ELEMENTS",
    "IMAGE_ATTRIBUTES",
    "URL_ATTRIBUTES",
    "UrlSchemes",
    "check_expression_contexts",
    "guard_url_slots",
    "is_css_slot",
    "slot_problem",
    "slot_schemes",
]

URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "srcset",
        "action",
        "formaction",
        "background",
        "background-url",
        "poster",
        "cite",
        "longdesc",
        "usemap",
        "lowsrc",
        "dynsrc",
        "data",
        "codebase",
        "classid",
        "archive",
        "manifest",
        "icon",
        "ping",
        "profile",
        "xlink:href",
    }
)
"""Attributes whose value is a URL a client may load or follow (MJML's ``background-url``
included)."""

IMAGE_ATTRIBUTES = frozenset(
    {"src", "srcset", "background", "background-url", "poster", "lowsrc", "dynsrc"}
)
"""URL attributes that load an image (the image schemes apply); the others are links."""

CSS_ELEMENTS = frozenset({"style", "mj-style"})
"""Raw-text elements whose content is CSS: expressions there pass ``css_check``."""

_SCHEME_NAME = re.compile(r"[a-z][a-z0-9+.-]*")
_CSS_URL_OPEN = re.compile(r"url\(\s*['\"]?\s*$", re.IGNORECASE)
_SCHEME_END = re.compile("[:/?#\0]")
_EDGES = "".join(chr(code) for code in range(0x21))


@dataclass(frozen=True)
class UrlSchemes:
    """The schemes allowed in URL slots.

    Parameters:
        link: for links (default https, http, mailto, tel).
        image: for images (default https, http, cid and non-SVG ``data:image/*``).
    """

    link: tuple[str, ...] = DEFAULT_LINK_SCHEMES
    image: tuple[str, ...] = DEFAULT_IMAGE_SCHEMES

    @classmethod
    def from_config(cls, table: Mapping[str, Any], file: Path | None = None) -> UrlSchemes:
        """The schemes ``[tool.glasswork-email.url_schemes]`` sets (``link = [...]``,
        ``image = [...]``, each replacing its default); ``ConfigError`` names a bad key."""
        section = table.get("url_schemes", {})
        where = f"{file}: " if file is not None else ""
        if not isinstance(section, Mapping):
            raise ConfigError(f"{where}`url_schemes` must be a table with `link` and `image`")
        schemes = {"link": cls.link, "image": cls.image}
        for key, value in section.items():
            if key not in schemes:
                raise ConfigError(
                    f"{where}unknown key {key!r} in `url_schemes`; known keys: image, link"
                )
            if not isinstance(value, list) or not all(
                isinstance(scheme, str) and _SCHEME_NAME.fullmatch(scheme) for scheme in value
            ):
                raise ConfigError(
                    f"{where}`url_schemes.{key}` must be a list of lower-case schemes like "
                    f'["https", "mailto"]; got {value!r}'
                )
            schemes[key] = tuple(value)
        return cls(link=schemes["link"], image=schemes["image"])


def slot_problem(slot: Slot, schemes: UrlSchemes) -> str | None:
    """Why an expression in ``slot`` is refused at compile time, or ``None``."""
    if slot.context is Context.RAW_TEXT and slot.tag not in CSS_ELEMENTS:
        return (
            f"an expression inside <{slot.tag}> is written into script or CSS, where HTML "
            "escaping does not protect it: move the value into an attribute or element text"
        )
    if slot.context is Context.TAG_NAME:
        return "an expression as a tag name: write the element's name in the template"
    if slot.context is Context.ATTRIBUTE_NAME:
        return (
            "an expression where an attribute name goes can add any attribute (onerror=...): "
            "write the attribute in the template and the expression in its quoted value: "
            'name="{{ ... }}"'
        )
    if slot.context is Context.UNQUOTED_ATTRIBUTE_VALUE:
        return (
            f"an expression in the unquoted value of {slot.attribute}: a value with a space "
            f'adds attributes; quote it: {slot.attribute}="{{{{ ... }}}}"'
        )
    if slot.context is not Context.ATTRIBUTE_VALUE:
        return None
    if slot.attribute.startswith("on"):
        return (
            f"an expression inside the event handler {slot.attribute} is script, where HTML "
            "escaping does not protect it: emails run no script, remove the handler"
        )
    if slot.attribute in URL_ATTRIBUTES:
        scheme = _literal_scheme(slot.value_before)
        allowed = schemes.image if slot.attribute in IMAGE_ATTRIBUTES else schemes.link
        if scheme is not None and scheme not in allowed:
            return (
                f"an expression inside a {scheme!r}: URL in {slot.attribute}; allowed schemes "
                f"there: {', '.join(allowed)}"
            )
    return None


def is_css_slot(slot: Slot) -> bool:
    """Whether an expression in ``slot`` is written into CSS (``<style>``, ``<mj-style>`` or a
    ``style`` attribute) outside a ``url(``, where ``css_check`` applies."""
    if slot.context is Context.RAW_TEXT:
        return slot.tag in CSS_ELEMENTS
    return (
        slot.context is Context.ATTRIBUTE_VALUE
        and slot.attribute == "style"
        and not _CSS_URL_OPEN.search(slot.value_before)
    )


def slot_schemes(slot: Slot, schemes: UrlSchemes) -> tuple[str, ...] | None:
    """The schemes to check an expression in ``slot`` against, or ``None`` when its value
    cannot decide a URL's scheme."""
    if slot.context is not Context.ATTRIBUTE_VALUE:
        return None
    if slot.attribute == "style":
        return schemes.image if _CSS_URL_OPEN.search(slot.value_before) else None
    if slot.attribute not in URL_ATTRIBUTES:
        return None
    before = slot.value_before.lstrip(_EDGES)
    end = _SCHEME_END.search(before)
    if end is not None and end.group() in "/?#:":
        return None  # the scheme, or the relative form, is fixed by the template's own text
    return schemes.image if slot.attribute in IMAGE_ATTRIBUTES else schemes.link


def _literal_scheme(value_before: str) -> str | None:
    before = value_before.lstrip(_EDGES).replace("\t", "").replace("\n", "").replace("\r", "")
    end = _SCHEME_END.search(before)
    if end is None or end.group() != ":":
        return None
    return before[: end.start()].lower()


def check_expression_contexts(
    environment: Environment,
    source: str,
    locate: Callable[[int], SourceLocation],
    schemes: UrlSchemes | None = None,
    tokens: Iterable[tuple[int, str, str]] | None = None,
) -> None:
    """Raise ``TemplateCompileError`` listing every expression of ``source`` that lands where
    escaping cannot protect it (see the module docstring).

    Parameters:
        environment: the HTML environment (its lexer settings).
        source: the template's Jinja source (partials and layouts inlined).
        locate: maps a line of ``source`` to its file and line.
        schemes: the allowed schemes (default ``UrlSchemes()``).
        tokens: ``environment.lex(source)``, when already lexed (default: lexed here).
    """
    allowed = schemes or UrlSchemes()
    tracker = HtmlContextTracker()
    errors: list[CompileError] = []
    column = 0
    inside: str | None = None
    for lineno, kind, value in environment.lex(source) if tokens is None else tokens:
        if inside is None and kind == "data":
            tracker.feed(value)
        elif kind == "variable_begin":
            inside = "variable"
            problem = slot_problem(tracker.slot(), allowed)
            if problem is not None:
                location = locate(lineno)
                errors.append(
                    CompileError(SourceLocation(location.file, location.line, column + 1), problem)
                )
        elif kind == "variable_end":
            inside = None
            tracker.expression()
        elif kind == "block_begin":
            inside = "block"
            tracker.statement()
        elif kind in ("block_end", "raw_begin", "raw_end"):
            inside = None
        newline = value.rfind("\n")
        column = len(value) - newline - 1 if newline >= 0 else column + len(value)
    if errors:
        raise TemplateCompileError(errors)


def guard_url_slots(
    template: nodes.Template,
    environment: Environment,
    source: Path,
    schemes: UrlSchemes | None = None,
) -> int:
    """Wrap, in place, every expression of the parsed HTML part that decides a URL's scheme in
    the ``url_check`` filter; return how many were wrapped.

    Parameters:
        template: the HTML part as parsed (after MJML).
        environment: the HTML environment (it must have the ``url_check`` filter).
        source: the template file, for errors in markup MJML produced.
        schemes: the allowed schemes (default ``UrlSchemes()``).
    """
    guard = _Guard(environment, schemes or UrlSchemes())
    guard.walk(template)
    if guard.problems:
        raise TemplateCompileError(
            [
                CompileError(SourceLocation(source, 1), f"in the HTML MJML produced: {problem}")
                for problem in guard.problems
            ]
        )
    return guard.wrapped


class _Guard:
    def __init__(self, environment: Environment, schemes: UrlSchemes) -> None:
        self.environment = environment
        self.schemes = schemes
        self.tracker = HtmlContextTracker()
        self.wrapped = 0
        self.problems: list[str] = []

    def walk(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.Output):
            self._output(node)
            return
        if isinstance(node, nodes.Expr):
            return
        for field in node.fields:
            value = getattr(node, field, None)
            if isinstance(value, list):
                # Each body (a branch, a loop) may follow any of the others when rendered.
                self.tracker.statement()
                for item in value:
                    if isinstance(item, nodes.Node):
                        self.walk(item)
                self.tracker.statement()
            elif isinstance(value, nodes.Node):
                self.walk(value)

    def _output(self, output: nodes.Output) -> None:
        for position, child in enumerate(output.nodes):
            if isinstance(child, nodes.TemplateData):
                self.tracker.feed(child.data)
                continue
            slot = self.tracker.slot()
            problem = slot_problem(slot, self.schemes)
            if problem is not None:
                self.problems.append(problem)
            allowed = slot_schemes(slot, self.schemes)
            if is_css_slot(slot):
                checked_css = nodes.Filter(child, CSS_CHECK_FILTER, [], [], None, None)
                checked_css.set_environment(self.environment)
                output.nodes[position] = checked_css
                self.wrapped += 1
            elif allowed is not None:
                checked = nodes.Filter(
                    child,
                    URL_CHECK_FILTER,
                    [nodes.Const(scheme) for scheme in allowed],
                    [],
                    None,
                    None,
                    lineno=child.lineno,
                )
                checked.set_environment(self.environment)
                output.nodes[position] = checked
                self.wrapped += 1
            self.tracker.expression()
