"""Specification of ``glasswork_email.compiler.html_context``: where an expression lands, and
the tracker's shortcuts over runs of characters and whole tags read markup exactly as its
step-by-step rules."""

from __future__ import annotations

import random

import pytest

from glasswork_email.compiler.html_context import Context, HtmlContextTracker, Slot

ALPHABET = [
    *"aZ-!/=<>\"' \t\nΣİé",
    *("<!--", "-->", "<style>", "</style", "<a", "href", "src"),
    *(' a="x"', "b='y' ", ' Data-X = "1"', " HREF='Σ'"),
    *('<td style="a:b">', "</td>", "<br/>", "<img src='s' / >", "<STYLE>", "<a b='1'c=\"2\">"),
]
"""Pieces of markup random texts are made of: every character a state treats apart, and
some whole tokens and tags."""


def _state(tracker: HtmlContextTracker) -> tuple[object, ...]:
    return (tracker.slot(), *vars(tracker).values())


class _StepByStep(HtmlContextTracker):
    """The tracker without its shortcuts: every character through the state machine's step."""

    def _run(self, state: object, text: str, index: int) -> int:
        return index

    def _whole_tag(self, text: str, index: int) -> int:
        return index


def _fed(pieces: list[str], tracker: HtmlContextTracker | None = None) -> HtmlContextTracker:
    tracker = tracker or HtmlContextTracker()
    for piece in pieces:
        tracker.feed(piece)
    return tracker


@pytest.mark.parametrize("seed", range(400))
def test_runs_of_characters_are_read_as_the_step_by_step_rules_read_them(seed: int) -> None:
    generator = random.Random(seed)
    text = "".join(generator.choice(ALPHABET) for _ in range(generator.randint(1, 60)))
    cuts = sorted(generator.sample(range(1, len(text) + 1), min(3, len(text))))
    pieces = [text[start:end] for start, end in zip([0, *cuts], cuts, strict=False)]
    for fed in ([text], pieces):
        assert _state(_fed(fed)) == _state(_fed(fed, _StepByStep())), fed


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>", Slot(Context.TEXT, "p")),
        ('<a HREF="https://x/', Slot(Context.ATTRIBUTE_VALUE, "a", "href", "https://x/")),
        ("<a href=", Slot(Context.UNQUOTED_ATTRIBUTE_VALUE, "a", "href")),
        ("<a data-X", Slot(Context.ATTRIBUTE_NAME, "a", "data-x")),
        ("<!--", Slot(Context.TEXT, "!--")),
        ("<style>p{color:", Slot(Context.RAW_TEXT, "style")),
        ("<Table  ", Slot(Context.ATTRIBUTE_NAME, "table")),
    ],
)
def test_the_slot_after_markup(markup: str, expected: Slot) -> None:
    assert _fed([markup]).slot() == expected
