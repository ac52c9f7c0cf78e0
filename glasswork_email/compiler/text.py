"""Plain text, subject and preheader from an email's HTML, at compile time.

The input is HTML whose Jinja tags are placeholders (see ``tokens.Protector``), so the output
is a plain-text *template*: rendering it costs one Jinja render per send, instead of an
HTML-to-text conversion of every rendered email. Links keep their text and URL; head, styles,
scripts, comments (Outlook conditionals included) and hidden elements are left out, except
that block-tag placeholders inside them are kept so the text template keeps the Jinja
structure (loops, conditions) of the HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = ["ConvertedText", "html_to_text"]

_BLOCK_ELEMENTS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    ]
)
_PARAGRAPH_ELEMENTS = frozenset(
    ["p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "blockquote"]
)
_SKIPPED_ELEMENTS = frozenset(("head", "style", "script", "noscript", "template"))
_VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_CELL_ELEMENTS = frozenset(("td", "th"))
_CELL_SEPARATOR = "\x1f"
"""Marks where a table cell starts after another one's text on the same row."""
_CELL_GAP = re.compile(f"\\s*{_CELL_SEPARATOR}[\\s{_CELL_SEPARATOR}]*")
_WHITESPACE = re.compile(r"\s+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.IGNORECASE)


@dataclass(frozen=True)
class ConvertedText:
    """What the converter read out of an email's HTML.

    Parameters:
        text: the plain-text body.
        subject: the ``<title>`` text, whitespace collapsed ("" when there is none).
        preheader: the hidden preview text (MJML's ``mj-preview``, or an element with class
            ``preheader``), or ``None``.
    """

    text: str
    subject: str
    preheader: str | None


class _Converter(HTMLParser):
    def __init__(
        self,
        is_block_placeholder: Callable[[str], bool],
        is_closing_placeholder: Callable[[str], bool],
        placeholder: re.Pattern[str],
        is_branch_placeholder: Callable[[str], bool],
        is_message_placeholder: Callable[[str], bool],
    ) -> None:
        super().__init__(convert_charrefs=True)
        self.is_block_placeholder = is_block_placeholder
        self.is_message_placeholder = is_message_placeholder
        self.is_closing_placeholder = is_closing_placeholder
        self.is_branch_placeholder = is_branch_placeholder
        self.placeholder = placeholder
        self.lines: list[str] = []
        self.buffer: list[str] = []
        self.stack: list[str] = []
        self.skip_depth = 0  # > 0 inside head/style/script or a hidden element
        self.hidden_stack: list[int] = []  # stack depths at which hidden elements started
        self.title: list[str] | None = None
        self.title_parts: list[str] = []
        self.preheader_parts: list[str] | None = None
        self.preheader_depth = -1
        self.seen_body_text = False
        self.links: list[tuple[str, int]] = []  # (href, buffer length at <a>)

    # -- output helpers -------------------------------------------------------------------
    def _flush(self) -> None:
        line = "".join(self.buffer)
        if _CELL_SEPARATOR in line:  # the cells of a row: one line, " | " between them
            line = _CELL_GAP.sub(_CELL_SEPARATOR, line).strip(_CELL_SEPARATOR + " \t\n")
            line = line.replace(_CELL_SEPARATOR, " | ")
        line = _WHITESPACE.sub(" ", line).strip()
        self.buffer = []
        if not line:
            return
        placeholders = [m.group(0) for m in self.placeholder.finditer(line)]
        if not self.placeholder.sub("", line).strip() and all(
            self.is_block_placeholder(p) for p in placeholders
        ):
            # only statements: one line that the text environment's trim_blocks removes
            self.lines.append("".join(placeholders))
            return
        self.lines.append(self._place_inline_statements(line))

    def _place_inline_statements(self, line: str) -> str:
        """Attach spaces to the statement branch they belong to, keep line ends.

        ``A {% if x %}B{% endif %} C`` becomes ``A{% if x %} B{% endif %} C``: the space
        before an opening statement moves into it, the one before a closing statement goes,
        so either branch renders with single spaces. A line ending in a statement gets an
        extra newline, since trim_blocks removes the one after it.
        """

        moved: list[bool] = []  # per open statement: whether a space moved into it

        def move_space(match: re.Match[str]) -> str:
            text, placeholder = match.group(0), match.group(1)
            before, after = text.startswith(" "), text.endswith(" ") and text != " "
            if not self.is_block_placeholder(placeholder) or self.is_message_placeholder(
                placeholder
            ):
                # a space moved into `{% trans %}` would change its message (and be trimmed)
                return text
            if self.is_branch_placeholder(placeholder):
                # `{% else %}`, `{% elif %}`: this branch gets the space the first one got
                if moved and moved[-1]:
                    return placeholder + " "
                return text
            if self.is_closing_placeholder(placeholder):
                if moved:
                    moved.pop()
                return placeholder + " " if before and after else text
            moved.append(before)
            return placeholder + " " if before else text

        line = re.sub(f" ?({self.placeholder.pattern}) ?", move_space, line)
        last = list(self.placeholder.finditer(line))
        if last and last[-1].end() == len(line) and self.is_block_placeholder(last[-1].group(0)):
            line += "\n"
        return line

    def _break(self, paragraph: bool = False) -> None:
        self._flush()
        if paragraph and self.lines and self.lines[-1] != "":
            self.lines.append("")

    def _emit_block_placeholders(self, text: str) -> None:
        for match in self.placeholder.finditer(text):
            # a message's tags go with its hidden words: an empty `{% trans %}` would look up ""
            if self.is_block_placeholder(match.group(0)) and not self.is_message_placeholder(
                match.group(0)
            ):
                self._flush()
                self.lines.append(match.group(0))

    # -- parser callbacks -----------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag not in _VOID_ELEMENTS:
            self.stack.append(tag)
        if tag == "title" and self.title is None:
            self.title = self.title_parts
            return
        hidden = bool(_HIDDEN_STYLE.search(attributes.get("style", "")))
        is_preheader = "preheader" in attributes.get("class", "").split() or (
            hidden and not self.seen_body_text and self.preheader_parts is None
        )
        if is_preheader and self.preheader_parts is None and tag not in _VOID_ELEMENTS:
            self.preheader_parts = []
            self.preheader_depth = len(self.stack)
            return
        if tag in _SKIPPED_ELEMENTS or (hidden and tag not in _VOID_ELEMENTS):
            self.skip_depth += 1
            self.hidden_stack.append(len(self.stack))
            return
        if self.skip_depth or self._in_preheader():
            return
        if tag == "br":
            self._flush()
        elif tag in _CELL_ELEMENTS:
            if "".join(self.buffer).strip():
                self.buffer.append(_CELL_SEPARATOR)
        elif tag == "hr":
            self._break(paragraph=True)
        elif tag in _BLOCK_ELEMENTS:
            self._break(paragraph=tag in _PARAGRAPH_ELEMENTS)
            if tag == "li":
                self.buffer.append("- ")
        elif tag == "a":
            self.links.append((attributes.get("href", "").strip(), len(self.buffer)))
        elif tag == "img" and self.links and attributes.get("alt"):
            self.buffer.append(attributes["alt"])

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID_ELEMENTS or tag not in self.stack:
            return
        depth = len(self.stack)
        while self.stack and self.stack.pop() != tag:
            depth -= 1
        if self.title is not None and self.title is self.title_parts and tag == "title":
            self.title = []  # closed: later titles are ignored
            return
        if self.preheader_parts is not None and depth == self.preheader_depth:
            self.preheader_depth = -2
            return
        if self.hidden_stack and depth == self.hidden_stack[-1]:
            self.hidden_stack.pop()
            self.skip_depth -= 1
            return
        if self.skip_depth or self._in_preheader():
            return
        if tag == "a" and self.links:
            self._close_link()
        elif tag in _BLOCK_ELEMENTS:
            self._break(paragraph=tag in _PARAGRAPH_ELEMENTS)

    def _close_link(self) -> None:
        href, start = self.links.pop()
        label = _WHITESPACE.sub(" ", "".join(self.buffer[start:])).strip()
        if not href or href.startswith("#"):
            return
        url = href.removeprefix("mailto:")
        if not label:
            self.buffer.append(url)
        elif label != url:
            self.buffer.append(f" ({url})")

    def _in_preheader(self) -> bool:
        return self.preheader_parts is not None and self.preheader_depth > 0

    def handle_data(self, data: str) -> None:
        if self.title is not None and self.title is self.title_parts:
            self.title_parts.append(data)
        elif self._in_preheader():
            assert self.preheader_parts is not None
            self.preheader_parts.append(data)
        elif self.skip_depth:
            self._emit_block_placeholders(data)
        else:
            if data.strip():
                self.seen_body_text = True
            self._handle_visible_text(data)

    def _handle_visible_text(self, data: str) -> None:
        self.buffer.append(data)

    def handle_comment(self, data: str) -> None:
        self._emit_block_placeholders(data)

    def result(self) -> ConvertedText:
        self._flush()
        text = "\n".join(self.lines)
        text = re.sub(r"\n{3,}", "\n\n", text).strip()
        subject = _WHITESPACE.sub(" ", "".join(self.title_parts)).strip()
        preheader = None
        if self.preheader_parts is not None:
            preheader = _WHITESPACE.sub(" ", "".join(self.preheader_parts)).strip() or None
        return ConvertedText(text=text, subject=subject, preheader=preheader)


def html_to_text(
    html: str,
    *,
    placeholder: re.Pattern[str],
    is_block_placeholder: Callable[[str], bool],
    is_closing_placeholder: Callable[[str], bool],
    is_branch_placeholder: Callable[[str], bool] = lambda placeholder: False,
    is_message_placeholder: Callable[[str], bool] = lambda placeholder: False,
) -> ConvertedText:
    """Convert an email's HTML (Jinja tags as placeholders) to text, subject and preheader.

    Parameters:
        html: the HTML.
        placeholder: the pattern of placeholders in it.
        is_block_placeholder: whether a placeholder stands for a ``{% %}`` statement; those are
            never dropped, so the text keeps the Jinja structure (loops, conditions).
        is_closing_placeholder: whether a statement ends or continues a construct
            (``endif``...), for spacing.
        is_branch_placeholder: whether a statement starts another branch of a construct
            (``else``, ``elif``): it gets the space its first branch got (default: none does).
        is_message_placeholder: whether a statement is part of a translated message
            (``trans``, ``pluralize``, ``endtrans``): no space moves into or out of it, since
            that would change the message (default: none is).
    """
    converter = _Converter(
        is_block_placeholder,
        is_closing_placeholder,
        placeholder,
        is_branch_placeholder,
        is_message_placeholder,
    )
    converter.feed(html)
    converter.close()
    return converter.result()
