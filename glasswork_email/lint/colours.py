"""Colour checks: text and buttons must stand out from their background (WCAG 2 contrast).

The foreground of a piece of text is the nearest ``color`` (inline style or ``<font color>``)
on it or an ancestor, its background the nearest ``background-color`` / ``background`` /
``bgcolor``; unknown colours (``transparent``, CSS variables) are skipped over. Large text
(24 px, or 18.66 px bold, and up) needs 3:1, the rest 4.5:1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from glasswork_email.lint.findings import Check, LintSubject, Problem, Severity
from glasswork_email.lint.html_document import Element

__all__ = ["CHECKS", "contrast_ratio", "parse_colour"]

NORMAL_TEXT_MINIMUM_RATIO = 4.5
"""WCAG 2 (AA) minimum contrast of body text."""
LARGE_TEXT_MINIMUM_RATIO = 3.0
"""WCAG 2 (AA) minimum contrast of large text."""
LARGE_TEXT_PX = 24.0
"""Text this size (px) and up is large (18 pt)."""
LARGE_BOLD_TEXT_PX = 18.66
"""Bold text this size (px) and up is large (14 pt)."""

RGB = tuple[int, int, int]
_NAMED: dict[str, RGB] = {
    "black": (0, 0, 0),
    "white": (255, 255, 255),
    "red": (255, 0, 0),
    "green": (0, 128, 0),
    "blue": (0, 0, 255),
    "gray": (128, 128, 128),
    "grey": (128, 128, 128),
    "silver": (192, 192, 192),
    "yellow": (255, 255, 0),
    "orange": (255, 165, 0),
    "navy": (0, 0, 128),
    "purple": (128, 0, 128),
}
_HEX = re.compile(r"#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})\b", re.IGNORECASE)
_RGB_FUNCTION = re.compile(r"rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)", re.IGNORECASE)
_SIZE = re.compile(r"([\d.]+)\s*(px|pt)", re.IGNORECASE)


def parse_colour(value: str) -> RGB | None:
    """The first colour in a CSS value (``#abc``, ``#aabbcc``, ``rgb()``, a basic name), or
    ``None`` when it names none."""
    value = value.strip().lower()
    hex_match = _HEX.search(value)
    if hex_match:
        digits = hex_match.group()[1:]
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits[:3])
        return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
    function = _RGB_FUNCTION.search(value)
    if function:
        red, green, blue = (min(255, int(part)) for part in function.groups())
        return red, green, blue
    for word in value.replace(",", " ").split():
        if word in _NAMED:
            return _NAMED[word]
    return None


def _luminance(colour: RGB) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = colour
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast_ratio(first: RGB, second: RGB) -> float:
    """The WCAG 2 contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    darker, lighter = sorted((_luminance(first), _luminance(second)))
    return (lighter + 0.05) / (darker + 0.05)


def _hex(colour: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour)


def _nearest(element: Element, read: str) -> tuple[RGB, str] | None:
    for node in (element, *element.ancestors()):
        style = node.style
        candidates = (
            [style.get("color", ""), node.attributes.get("color", "") if node.tag == "font" else ""]
            if read == "foreground"
            else [
                style.get("background-color", ""),
                style.get("background", ""),
                node.attributes.get("bgcolor", ""),
            ]
        )
        for written in candidates:
            colour = parse_colour(written) if written else None
            if colour is not None:
                return colour, written
    return None


def _font_size_px(element: Element) -> float:
    for node in (element, *element.ancestors()):
        size = _SIZE.match(node.style.get("font-size", ""))
        if size:
            value = float(size.group(1))
            return value * 4 / 3 if size.group(2).lower() == "pt" else value
    return 16.0


def _bold(element: Element) -> bool:
    for node in (element, *element.ancestors()):
        if node.tag in {"b", "strong", "th", "h1", "h2", "h3"}:
            return True
        weight = node.style.get("font-weight", "")
        if weight:
            return weight in {"bold", "bolder"} or (weight.isdigit() and int(weight) >= 700)
    return False


def _is_large(element: Element) -> bool:
    size = _font_size_px(element)
    return size >= LARGE_TEXT_PX or (size >= LARGE_BOLD_TEXT_PX and _bold(element))


def _text_elements(root: Element) -> Iterator[Element]:
    for element in root.iter():
        if element.own_text and not element.hidden():
            yield element


def check_contrast(subject: LintSubject) -> Iterator[Problem]:
    """Text whose colour is too close to its background's."""
    reported: set[tuple[RGB, RGB, bool]] = set()
    for element in _text_elements(subject.document):
        foreground = _nearest(element, "foreground")
        background = _nearest(element, "background")
        fg, fg_written = foreground or ((0, 0, 0), "")
        bg, bg_written = background or ((255, 255, 255), "")
        large = _is_large(element)
        minimum = LARGE_TEXT_MINIMUM_RATIO if large else NORMAL_TEXT_MINIMUM_RATIO
        ratio = contrast_ratio(fg, bg)
        if ratio >= minimum or (fg, bg, large) in reported:
            continue
        reported.add((fg, bg, large))
        snippet = element.own_text if len(element.own_text) <= 40 else element.own_text[:37] + "..."
        kind = "large text" if large else "text"
        yield Problem(
            f"{kind} {snippet!r} is {_hex(fg)} on {_hex(bg)}: contrast {ratio:.2f}:1, under "
            f"{minimum:g}:1; darken the text or lighten the background",
            tuple(written for written in (fg_written, bg_written) if written),
            element=element,
        )


CHECKS = (
    Check(
        "contrast",
        "text and button colours against their background: 4.5:1, 3:1 for large text",
        Severity.ERROR,
        check_contrast,
    ),
)
"""The colour checks."""
