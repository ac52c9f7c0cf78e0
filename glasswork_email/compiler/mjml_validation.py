"""Check MJML before it is compiled: unknown tags, unknown attributes, invalid values, nesting.

mjml-python does not validate (a misspelt ``<mj-buton>`` goes into the HTML as a raw tag), so
the MJML is checked here against MJML's own component and attribute table
(``mjml_components``), with every problem at the template's file, line and column. A value
that holds a Jinja tag is not checked: it is only known when the email is rendered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

from glasswork_email.compiler.errors import CompileError, SourceLocation
from glasswork_email.compiler.mjml_components import (
    ANY_ATTRIBUTES,
    COMPONENTS,
    ENDING_TAGS,
    EVERYWHERE,
    KINDS,
)

__all__ = ["validate_mjml"]

_ENUM = re.compile(r"^\((.*)\)$")


class _Checker(HTMLParser):
    def __init__(
        self, locate: Callable[[int], SourceLocation], placeholder: re.Pattern[str]
    ) -> None:
        super().__init__(convert_charrefs=False)
        self.locate = locate
        self.placeholder = placeholder
        self.errors: list[CompileError] = []
        self.stack: list[tuple[str, SourceLocation]] = []
        self.in_attributes = False
        self.line_starts = [0]

    def feed_text(self, text: str) -> None:
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.feed(text)
        self.close()
        for tag, location in self.stack:
            self._error(location, f"<{tag}> is never closed")

    def _here(self) -> SourceLocation:
        line, column = self.getpos()
        return self.locate(self.line_starts[line - 1] + column)

    def _error(self, location: SourceLocation, message: str) -> None:
        self.errors.append(CompileError(location, f"MJML: {message}"))

    def _inside_ending_tag(self) -> bool:
        return any(tag in ENDING_TAGS for tag, _ in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], *, closed: bool) -> None:
        if self._inside_ending_tag() or not (tag == "mjml" or tag.startswith("mj-")):
            return
        location = self._here()
        known = COMPONENTS.get(tag)
        if known is None:
            close = _closest(tag)
            hint = f"; did you mean <{close}>?" if close else ""
            self._error(location, f"unknown tag <{tag}>{hint}")
        else:
            self._attributes(tag, known, attrs, location)
        if not closed:
            self.stack.append((tag, location))

    def _attributes(
        self,
        tag: str,
        known: dict[str, str],
        attrs: list[tuple[str, str | None]],
        location: SourceLocation,
    ) -> None:
        parent = self.stack[-1][0] if self.stack else ""
        if tag in ANY_ATTRIBUTES or (parent == "mj-attributes" and tag in ANY_ATTRIBUTES):
            return
        for name, value in attrs:
            if self.placeholder.search(name):
                continue  # Jinja inside the opening tag: the MJML step explains that one
            kind = known.get(name) or EVERYWHERE.get(name)
            if kind is None:
                self._error(location, f"<{tag}> has no attribute {name!r}")
                continue
            if value is None or self.placeholder.search(value):
                continue  # known when the email is rendered
            expected = _expected(kind, value)
            if expected is not None:
                self._error(location, f'<{tag} {name}="{value}">: expected {expected}')

    def handle_endtag(self, tag: str) -> None:
        if not (tag == "mjml" or tag.startswith("mj-")):
            return
        if self._inside_ending_tag() and not any(t == tag for t, _ in self.stack):
            return
        location = self._here()
        if not any(open_tag == tag for open_tag, _ in self.stack):
            self._error(location, f"</{tag}> closes no open <{tag}>")
            return
        while self.stack:
            open_tag, opened = self.stack.pop()
            if open_tag == tag:
                return
            if open_tag.startswith("mj-") or open_tag == "mjml":
                self._error(
                    opened,
                    f"<{open_tag}> is not closed before </{tag}> at line {location.line}",
                )


def _expected(kind: str, value: str) -> str | None:
    """What ``value`` should have been for ``kind``, or ``None`` when it is one."""
    value = value.strip()
    enum = _ENUM.match(kind)
    if enum:
        choices = enum.group(1).split("|")
        return None if value in choices else ", ".join(choices)
    pattern, description = KINDS[kind]
    return None if re.fullmatch(pattern, value) else description


def _closest(tag: str) -> str | None:
    import difflib

    matches = difflib.get_close_matches(tag, list(COMPONENTS), n=1, cutoff=0.8)
    return matches[0] if matches else None


def validate_mjml(
    mjml: str, locate: Callable[[int], SourceLocation], placeholder: re.Pattern[str]
) -> list[CompileError]:
    """The problems of the MJML document ``mjml`` (Jinja tags replaced by placeholders).

    Parameters:
        mjml: the ``<mjml>...</mjml>`` text.
        locate: maps an offset in ``mjml`` to the template file, line and column.
        placeholder: the pattern of placeholders (values holding one are not checked).
    """
    checker = _Checker(locate, placeholder)
    checker.feed_text(mjml)
    return checker.errors
