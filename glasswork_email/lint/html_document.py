"""A rendered email's HTML as a small element tree with line numbers, for the lint checks.

Built with the standard library's ``html.parser``: the checks need elements, attributes, inline
styles, direct text and where each element starts, not a full DOM. Comments (Outlook's
conditional blocks among them) are left out, as are ``<head>`` contents other than elements.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["Element", "parse_html", "parse_style"]

VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
"""Elements that never have content or an end tag."""


def parse_style(style: str) -> dict[str, str]:
    """An inline ``style`` attribute as property → value (lower-case names, ``!important`` off)."""
    properties: dict[str, str] = {}
    for declaration in style.split(";"):
        name, colon, value = declaration.partition(":")
        if colon and name.strip():
            properties[name.strip().lower()] = value.replace("!important", "").strip()
    return properties


@dataclass(eq=False)
class Element:
    """One HTML element.

    Parameters:
        tag: the lower-case tag name (``"#document"`` for the root).
        attributes: its attributes (a valueless attribute maps to ``""``).
        line: the 1-based line of the rendered HTML where its start tag is.
        parent: the enclosing element (``None`` for the root).
    """

    tag: str
    attributes: dict[str, str]
    line: int
    parent: Element | None = None
    children: list[Element] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)

    @property
    def style(self) -> dict[str, str]:
        """Its inline style properties."""
        return parse_style(self.attributes.get("style", ""))

    @property
    def own_text(self) -> str:
        """Its direct text (not its children's), whitespace collapsed."""
        return " ".join("".join(self.text_parts).split())

    @property
    def text(self) -> str:
        """All text inside it, whitespace collapsed."""
        pieces = [self.own_text, *(child.text for child in self.children)]
        return " ".join(piece for piece in pieces if piece)

    def ancestors(self) -> Iterator[Element]:
        """Its parent, the parent's parent, ... up to the root."""
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def iter(self, tag: str | None = None) -> Iterator[Element]:
        """Every element below it (depth first), only those called ``tag`` when given."""
        for child in self.children:
            if tag is None or child.tag == tag:
                yield child
            yield from child.iter(tag)

    def hidden(self) -> bool:
        """Whether it or an ancestor is hidden (``display:none``, ``hidden``, in ``<head>``)."""
        for node in (self, *self.ancestors()):
            if node.tag in {"head", "style", "script", "title"} or "hidden" in node.attributes:
                return True
            display = node.style.get("display", "").replace(" ", "")
            if display == "none" or node.style.get("max-height", "") in {"0", "0px"}:
                return True
        return False


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, 1)
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(
            tag, {name: value or "" for name, value in attrs}, self.getpos()[0], self.current
        )
        self.current.children.append(element)
        if tag not in VOID_ELEMENTS:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(
            tag, {name: value or "" for name, value in attrs}, self.getpos()[0], self.current
        )
        self.current.children.append(element)

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching open element; a stray end tag closes nothing.
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.text_parts.append(data)


def parse_html(html: str) -> Element:
    """Parse ``html`` into a tree; returns the ``#document`` root."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root
