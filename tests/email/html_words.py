"""The words a reader sees in an email's HTML: what a derived text part may hold."""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["html_words"]


class _Words(HTMLParser):
    """Collects the words of the text and of attribute values (link targets, image alts)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for _name, value in attrs:
            self.words.update(re.findall(r"\w+", value or ""))

    def handle_data(self, data: str) -> None:
        self.words.update(re.findall(r"\w+", data))


def html_words(markup: str) -> set[str]:
    """The words of ``markup``'s text and attribute values, entities decoded."""
    parser = _Words()
    parser.feed(markup)
    return parser.words
