"""Specification of EventBridge schedule expression validation."""

from __future__ import annotations

import pytest

from glasswork.jobs.errors import InvalidJobDefinitionError
from glasswork.jobs.schedule_expression import validate_schedule_expression


@pytest.mark.parametrize(
    "expression",
    [
        "rate(1 minute)",
        "rate(5 minutes)",
        "rate(1 hour)",
        "rate(12 hours)",
        "rate(1 day)",
        "rate(7 days)",
        "cron(0 8 * * ? *)",
        "cron(15 10 ? * 6L 2026-2030)",
        "cron(0/15 * * * ? *)",
        "cron(0 9 ? * MON-FRI *)",
        "cron(0 12 L * ? *)",
        "cron(0 12 1W * ? *)",
        "cron(0 18 ? * 2#1 *)",
        "cron(5,35 14 * JAN,JUL ? *)",
    ],
)
def test_valid_expressions_pass(expression: str) -> None:
    assert validate_schedule_expression(expression) == expression


@pytest.mark.parametrize(
    ("expression", "complaint"),
    [
        ("rate(0 minutes)", "at least 1"),
        ("rate(1 minutes)", "'minute'"),
        ("rate(5 minute)", "'minutes'"),
        ("rate(5 weeks)", "neither"),
        ("every day", "neither"),
        ("cron(0 8 * * *)", "6"),
        ("cron(0 8 * * * *)", "exactly one"),
        ("cron(0 8 ? * ? *)", "exactly one"),
        ("cron(60 8 * * ? *)", "minutes"),
        ("cron(0 24 * * ? *)", "hours"),
        ("cron(0 8 32 * ? *)", "day-of-month"),
        ("cron(0 8 * 13 ? *)", "month"),
        ("cron(0 8 ? * FUNDAY *)", "day-of-week"),
        ("cron(0/0 8 * * ? *)", "minutes"),
    ],
)
def test_invalid_expressions_say_what_is_wrong(expression: str, complaint: str) -> None:
    with pytest.raises(InvalidJobDefinitionError) as caught:
        validate_schedule_expression(expression)
    assert complaint in str(caught.value)
    assert expression in str(caught.value)
