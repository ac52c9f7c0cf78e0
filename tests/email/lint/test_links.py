from __future__ import annotations

import pytest
from lint_subjects import problems


def test_http_links_fail_and_https_and_mailto_pass() -> None:
    (problem,) = problems("insecure-link", '<a href="http://shop.example.com/t">Track</a>')
    assert "link http://shop.example.com/t uses http:" in problem.message
    assert problem.needles == ("http://shop.example.com/t",)
    html = '<a href="https://shop.example.com">a</a><a href="mailto:help@example.com">b</a>'
    assert problems("insecure-link", html) == []


@pytest.mark.parametrize("href", ['href=""', 'href="#"', ""])
def test_empty_links_fail(href: str) -> None:
    (problem,) = problems("empty-href", f"<a {href}>Open</a>")
    assert "link 'Open' has an empty href" in problem.message


def test_named_anchors_and_real_links_pass_the_empty_href_check() -> None:
    assert problems("empty-href", '<a name="top"></a><a href="https://x.example">x</a>') == []


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", " JavaScript:void(0)", "java\nscript:alert(1)", "vbscript:x"]
)
def test_script_urls_fail(href: str) -> None:
    assert len(problems("javascript-url", f'<a href="{href}">x</a>')) == 1


def test_ordinary_urls_pass_the_script_check() -> None:
    assert problems("javascript-url", '<a href="https://example.com/javascript">x</a>') == []


def test_topic_email_without_unsubscribe_link_fails() -> None:
    html = '<a href="https://shop.example.com">Shop</a>'
    (problem,) = problems("unsubscribe-missing", html, topic="product-updates")
    assert "declares the topic 'product-updates' but has no unsubscribe link" in problem.message


def test_unsubscribe_link_by_text_or_url_passes_and_no_topic_needs_none() -> None:
    by_text = '<a href="https://shop.example.com/u/123">Unsubscribe</a>'
    by_url = '<a href="https://shop.example.com/unsubscribe?t=1">Stop these emails</a>'
    assert problems("unsubscribe-missing", by_text, topic="news") == []
    assert problems("unsubscribe-missing", by_url, topic="news") == []
    assert problems("unsubscribe-missing", "<p>no links</p>") == []
