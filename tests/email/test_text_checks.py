"""``glasswork_email.text_checks``: finding lone surrogates and bidi controls in text."""

from __future__ import annotations

import pytest

from glasswork_email.text_checks import find_lone_surrogate, lone_surrogate_paths


@pytest.mark.parametrize("text", ["", "plain ASCII", "café", "日本語", "emoji 😀 ok"])
def test_text_that_encodes_has_no_lone_surrogate(text: str) -> None:
    assert find_lone_surrogate(text) is None


@pytest.mark.parametrize(
    ("text", "index"),
    [("\udcff", 0), ("abc\ud800", 3), ("é😀\udfff and \ud800", 2), ("\ud83d\ude00", 0)],
)
def test_the_first_lone_surrogate_is_found_where_it_is(text: str, index: int) -> None:
    # Python holds a surrogate pair written as two code points as two lone surrogates.
    assert find_lone_surrogate(text) == index


def test_the_paths_of_strings_with_lone_surrogates_are_named() -> None:
    value = {"subject": "ok", "items": ["fine", "bad \udcff"], "bad \ud800 key": "x"}
    assert list(lone_surrogate_paths(value)) == ["['items'][1]", "['bad \\ud800 key'] (the key)"]
