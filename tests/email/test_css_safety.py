"""Specification of ``css_check``, the render-time check of values written into CSS."""

from __future__ import annotations

import logging

import pytest

from glasswork_email.css_safety import css_check, is_safe_css_value


@pytest.mark.parametrize(
    "value",
    [
        "#5753c6",
        "red",
        "12px",
        "1.5em",
        "100%",
        "12px/1.5 Arial, sans-serif",
        "rgb(0, 0, 0)",
        "rgba(10,20,30,0.5)",
        "hsl(120, 50%, 50%)",
        "'Helvetica Neue'",
        "bold !important",
        "",
    ],
)
def test_plain_css_values_pass(value: str) -> None:
    assert is_safe_css_value(value)
    assert css_check(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "red; background: url(https://tracker.example/p.gif)",
        "red } body { display: none",
        "url(https://tracker.example/p.gif)",
        "expression(alert(1))",
        "red /* comment */",
        "\\72 ed",
        "</style><script>alert(1)</script>",
        "@import 'https://x.example/a.css'",
        "red:hover",
    ],
)
def test_values_that_add_declarations_or_rules_are_refused_and_logged(
    value: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="glasswork_email.css_safety"):
        assert css_check(value) == ""
    assert "refused a CSS value" in caplog.text
