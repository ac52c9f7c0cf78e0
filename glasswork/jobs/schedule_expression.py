"""Validation of EventBridge ``cron(...)`` and ``rate(...)`` schedule expressions.

Checked when a periodic job is defined, so a typo fails at import rather than at deploy.
The rules follow the EventBridge Scheduler documentation: six cron fields
(minutes hours day-of-month month day-of-week year), exactly one of day-of-month and
day-of-week is ``?``, and ``rate(value unit)`` with a positive whole value.
"""

from __future__ import annotations

import re

from glasswork.jobs.errors import InvalidJobDefinitionError

__all__ = ["validate_schedule_expression"]

# Patterns, not compiled regexes: re compiles (and caches) the one an expression needs when it
# is first validated, so an app of cron schedules never compiles the rate pattern.
_RATE = r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)"
_CRON = r"cron\(([^()]*)\)"

_MONTHS = "JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC"
_DAYS = "SUN|MON|TUE|WED|THU|FRI|SAT"

# (field name, lowest value, highest value, names allowed in place of numbers)
_FIELDS: tuple[tuple[str, int, int, str], ...] = (
    ("minutes", 0, 59, ""),
    ("hours", 0, 23, ""),
    ("day-of-month", 1, 31, ""),
    ("month", 1, 12, _MONTHS),
    ("day-of-week", 1, 7, _DAYS),
    ("year", 1970, 2199, ""),
)


def validate_schedule_expression(expression: str) -> str:
    """Return ``expression`` unchanged when it is a valid ``cron(...)`` or ``rate(...)``.

    Raises ``InvalidJobDefinitionError`` naming what is wrong otherwise.
    """
    rate = re.fullmatch(_RATE, expression) if expression.startswith("rate(") else None
    if rate:
        _check_rate(expression, int(rate.group(1)), rate.group(2))
        return expression
    cron = re.fullmatch(_CRON, expression) if expression.startswith("cron(") else None
    if cron:
        _check_cron(expression, cron.group(1))
        return expression
    raise InvalidJobDefinitionError(
        f"schedule {expression!r} is neither 'cron(min hour day-of-month month day-of-week year)' "
        "nor 'rate(N minute|minutes|hour|hours|day|days)'"
    )


def _check_rate(expression: str, value: int, unit: str) -> None:
    if value < 1:
        raise InvalidJobDefinitionError(f"schedule {expression!r}: rate must be at least 1")
    if (value == 1) != (not unit.endswith("s")):
        wanted = unit.rstrip("s") if value == 1 else unit.rstrip("s") + "s"
        raise InvalidJobDefinitionError(
            f"schedule {expression!r}: with a value of {value} the unit must be {wanted!r}"
        )


def _check_cron(expression: str, body: str) -> None:
    fields = body.split()
    if len(fields) != 6:
        raise InvalidJobDefinitionError(
            f"schedule {expression!r} has {len(fields)} fields; cron needs 6: "
            "minutes hours day-of-month month day-of-week year"
        )
    for value, (name, low, high, names) in zip(fields, _FIELDS, strict=True):
        _check_cron_field(expression, name, value, low, high, names)
    day_of_month, day_of_week = fields[2], fields[4]
    if (day_of_month == "?") == (day_of_week == "?"):
        raise InvalidJobDefinitionError(
            f"schedule {expression!r}: exactly one of day-of-month and day-of-week must be '?'"
        )


def _check_cron_field(
    expression: str, name: str, value: str, low: int, high: int, names: str
) -> None:
    if value == "?" and name in ("day-of-month", "day-of-week"):
        return
    if name == "day-of-month" and re.fullmatch(r"L|LW|\d{1,2}W", value):
        return
    if name == "day-of-week" and re.fullmatch(rf"(\d|{_DAYS})(L|#[1-5])", value):
        return
    for part in value.split(","):
        if not _cron_part_is_valid(part, low, high, names):
            raise InvalidJobDefinitionError(
                f"schedule {expression!r}: {name} field {value!r} is not valid "
                f"(allowed: {low}-{high}, '*', ranges a-b, lists a,b, steps a/n)"
            )


def _cron_part_is_valid(part: str, low: int, high: int, names: str) -> bool:
    base, _, step = part.partition("/")
    if step and not (step.isdigit() and int(step) >= 1):
        return False
    if base == "*":
        return True
    bounds = base.split("-")
    if len(bounds) > 2:
        return False
    return all(_cron_value_is_valid(bound, low, high, names) for bound in bounds)


def _cron_value_is_valid(value: str, low: int, high: int, names: str) -> bool:
    if value.isdigit():
        return low <= int(value) <= high
    return bool(names) and re.fullmatch(names, value) is not None
