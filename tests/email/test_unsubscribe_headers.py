"""Specification of the one-click unsubscribe headers."""

from __future__ import annotations

import pytest

from glasswork_email.errors import InvalidEmailMessageError
from glasswork_email.unsubscribe_headers import unsubscribe_headers


def test_an_https_url_gives_both_one_click_headers() -> None:
    assert unsubscribe_headers("https://app.example/u?t=abc") == {
        "List-Unsubscribe": "<https://app.example/u?t=abc>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


@pytest.mark.parametrize(
    "url",
    [
        "http://app.example/u",
        "mailto:unsubscribe@app.example",
        "/relative/path",
        "https://app.example/u?a=1,2",
        "https://app.example/u>evil",
        "https://app.example/u\r\nBcc: x@example.com",
        "https://app.example/ünï",
    ],
)
def test_urls_unfit_for_one_click_are_refused(url: str) -> None:
    with pytest.raises(InvalidEmailMessageError) as error:
        unsubscribe_headers(url)
    assert error.value.field == "unsubscribe_url"


def test_the_signed_links_module_still_gives_the_same_headers() -> None:
    # unsubscribe.py re-exports the headers, for code that imported them from there.
    from glasswork_email import unsubscribe

    assert unsubscribe.unsubscribe_headers is unsubscribe_headers
