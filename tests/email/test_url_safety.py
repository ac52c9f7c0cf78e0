"""Specification of ``url_check``, the render-time check of values in URL attributes.

Whether a value is safe is judged by an oracle that reads it as the WHATWG URL standard does
(trim C0 controls and spaces, drop tabs and newlines, a scheme is an ASCII letter followed by
letters, digits, ``+ - .`` up to a ``:``), independently of the implementation.
"""

from __future__ import annotations

import html
import logging
import re

import pytest
from markupsafe import Markup

from glasswork_email.url_safety import (
    DEFAULT_IMAGE_SCHEMES,
    DEFAULT_LINK_SCHEMES,
    REFUSED_URL,
    is_allowed_url,
    url_check,
)

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_SAFE_DATA = re.compile(r"data:image/(png|gif|jpeg|webp)[;,]", re.IGNORECASE)


def browser_scheme(attribute_value: str) -> str | None:
    """The scheme a browser finds in an (already entity-decoded) attribute value."""
    url = attribute_value.strip("".join(chr(c) for c in range(0x21)))
    url = url.replace("\t", "").replace("\n", "").replace("\r", "")
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else None


def safe_for_browser(attribute_value: str, allowed: tuple[str, ...]) -> bool:
    scheme = browser_scheme(attribute_value)
    if scheme is None or (scheme == "about" and attribute_value == REFUSED_URL):
        return True
    if scheme == "data":
        return "data" in allowed and bool(_SAFE_DATA.match(attribute_value.strip()))
    return scheme in allowed


DANGEROUS = [
    "javascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "file:///etc/passwd",
    "jar:https://x/y.jar!/",
]


def mutations(url: str) -> list[str]:
    scheme, _colon, rest = url.partition(":")
    middle = len(scheme) // 2
    return [
        url,
        url.upper(),
        scheme.swapcase() + ":" + rest,
        " " + url,
        "\t" + url,
        "\n" + url,
        "\x00" + url,
        "\x01" + url,
        "\x1f " + url,
        scheme + "\t:" + rest,
        scheme + " :" + rest,
        scheme + "\x00:" + rest,
        scheme[:middle] + "\t" + scheme[middle:] + ":" + rest,
        scheme[:middle] + "\n" + scheme[middle:] + ":" + rest,
        scheme[:middle] + "\r\n" + scheme[middle:] + ":" + rest,
        url + "   ",
    ]


def hostile_values() -> list[str | Markup]:
    values: list[str | Markup] = []
    for url in DANGEROUS:
        values.extend(mutations(url))
        scheme, _colon, rest = url.partition(":")
        # Marked safe by the template author: character references are decoded by the browser.
        values.append(Markup(f"{scheme}&#58;{rest}"))
        values.append(Markup(f"{scheme}&colon;{rest}"))
        values.append(Markup(f"&#{ord(scheme[0])};{scheme[1:]}:{rest}"))
        values.append(Markup(f"{scheme[:2]}&Tab;{scheme[2:]}:{rest}"))
        values.append(Markup(f"{scheme[:2]}&#x0A;{scheme[2:]}:{rest}"))
    return values


HOSTILE = hostile_values()


def attribute_as_rendered(value: str | Markup, allowed: tuple[str, ...]) -> str:
    """What a browser reads from ``href="{{ value|url_check(...) }}"`` under autoescape."""
    checked = url_check(value, *allowed)
    written = str(checked) if isinstance(checked, Markup) else html.escape(str(checked))
    return html.unescape(written)


@pytest.mark.parametrize("allowed", [DEFAULT_LINK_SCHEMES, DEFAULT_IMAGE_SCHEMES])
def test_no_hostile_value_reaches_a_browser_with_a_dangerous_scheme(
    allowed: tuple[str, ...],
) -> None:
    assert len(HOSTILE) >= 100
    unsafe = [
        value
        for value in HOSTILE
        if not safe_for_browser(attribute_as_rendered(value, allowed), allowed)
    ]
    assert unsafe == []


def test_without_the_check_most_of_the_corpus_would_reach_a_browser_as_script() -> None:
    # Proves the corpus bites: written with autoescape alone, a browser follows these.
    dangerous = [
        value
        for value in HOSTILE
        if not safe_for_browser(
            html.unescape(str(value) if isinstance(value, Markup) else html.escape(value)),
            DEFAULT_LINK_SCHEMES,
        )
    ]
    assert len(dangerous) >= len(HOSTILE) * 3 // 4


@pytest.mark.parametrize(
    "value",
    [
        "https://shop.example/a?b=1&c=2",
        "HTTP://shop.example",
        "mailto:ann@example.com?subject=Hi",
        "tel:+44-20-7946-0000",
        "/account",
        "account/settings",
        "?page=2",
        "#top",
        "//cdn.example/x.png",
        "",
    ],
)
def test_ordinary_links_pass_unchanged(value: str) -> None:
    assert url_check(value, *DEFAULT_LINK_SCHEMES) == value


@pytest.mark.parametrize(
    ("value", "allowed"),
    [
        ("cid:logo@shop.example", True),
        ("data:image/png;base64,iVBORw0KGgo=", True),
        ("DATA:IMAGE/GIF;base64,R0lGOD", True),
        ("data:image/svg+xml;base64,PHN2Zz4=", False),
        ("data:text/html,<script>", False),
        ("mailto:ann@example.com", False),
    ],
)
def test_image_slots_allow_inline_images_only(value: str, allowed: bool) -> None:
    assert is_allowed_url(value, DEFAULT_IMAGE_SCHEMES) is allowed


def test_cid_and_data_are_not_links() -> None:
    assert url_check("cid:logo", *DEFAULT_LINK_SCHEMES) == REFUSED_URL
    assert url_check("data:image/png;base64,AAAA", *DEFAULT_LINK_SCHEMES) == REFUSED_URL


def test_a_refused_value_is_logged_and_replaced(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="glasswork_email.url_safety"):
        assert url_check("JaVaScRiPt:alert(1)", "https") == REFUSED_URL
    assert "refused a URL" in caplog.text
    assert "JaVaScRiPt:alert(1)" in caplog.text


def test_the_allowed_schemes_are_the_slots_own() -> None:
    assert url_check("sms:+123", "https", "sms") == "sms:+123"
    assert url_check("https://x", "sms") == REFUSED_URL
