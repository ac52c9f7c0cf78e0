"""Specification of delay parsing for enqueue_in and enqueue_at."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from glasswork.jobs.delay import MAX_DELAY, delay_until, parse_delay
from glasswork.jobs.errors import InvalidDelayError


@pytest.mark.parametrize(
    ("delay", "seconds"),
    [
        ("30s", 30),
        ("10m", 600),
        ("3h", 10800),
        ("2d", 172800),
        ("1h30m", 5400),
        (45, 45),
        (timedelta(minutes=2), 120),
        ("0s", 0),
    ],
)
def test_delays_in_every_accepted_form(delay: object, seconds: int) -> None:
    assert parse_delay(delay) == timedelta(seconds=seconds)  # type: ignore[arg-type]


@pytest.mark.parametrize("delay", ["30", "10 minutes", "1.5h", "", "s", -5, True, 1.5, None])
def test_anything_else_is_a_clear_error(delay: object) -> None:
    with pytest.raises(InvalidDelayError):
        parse_delay(delay)  # type: ignore[arg-type]


def test_delay_until_a_past_time_is_zero() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert delay_until(now - timedelta(hours=1), now=now) == timedelta(0)
    assert delay_until(now + timedelta(hours=1), now=now) == timedelta(hours=1)


def test_delay_until_honours_the_time_zone() -> None:
    now = datetime(2026, 1, 1, 12, tzinfo=UTC)
    two_pm_in_plus_one = datetime(2026, 1, 1, 14, tzinfo=timezone(timedelta(hours=1)))
    assert delay_until(two_pm_in_plus_one, now=now) == timedelta(hours=1)


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(InvalidDelayError, match="timezone-aware"):
        delay_until(datetime(2026, 1, 1))


@pytest.mark.parametrize("delay", [10**12, 10**30, timedelta.max, "99999999999999d", "36526d"])
def test_a_delay_beyond_the_limit_is_an_error_naming_the_limit(delay: object) -> None:
    with pytest.raises(InvalidDelayError, match="limit of 36,525 days"):
        parse_delay(delay)  # type: ignore[arg-type]


def test_the_limit_itself_is_accepted() -> None:
    assert parse_delay(MAX_DELAY) == MAX_DELAY
    assert parse_delay("36525d") == MAX_DELAY


def test_enqueue_at_the_end_of_time_is_an_error_naming_the_limit() -> None:
    with pytest.raises(InvalidDelayError, match="36,525 days away"):
        delay_until(datetime.max.replace(tzinfo=UTC))
