"""Turning the delays and times given to ``enqueue_in``/``enqueue_at`` into a ``timedelta``."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from glasswork.jobs.errors import InvalidDelayError

__all__ = ["MAX_DELAY", "Delay", "delay_until", "parse_delay"]

MAX_DELAY = timedelta(days=36_525)
"""The longest delay ``enqueue_in``/``enqueue_at`` accept: 36,525 days (100 years), so the
delivery time stays a four-digit year, as an EventBridge Scheduler ``at()`` expression needs."""

Delay = str | int | timedelta
"""A delay: ``"30s"``, ``"10m"``, ``"3h"``, ``"2d"`` (or combined, ``"1h30m"``), whole seconds
as an ``int``, or a ``timedelta``."""

_PART = re.compile(r"(\d+)([smhd])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_delay(delay: Delay) -> timedelta:
    """The ``timedelta`` a delay stands for; ``InvalidDelayError`` for anything else, for < 0
    and for more than ``MAX_DELAY``."""
    if isinstance(delay, bool):
        raise InvalidDelayError(
            f"delay must be seconds, a duration string or timedelta, not {delay}"
        )
    if isinstance(delay, timedelta):
        result = delay
    elif isinstance(delay, int):
        if delay > _MAX_DELAY_SECONDS:
            raise _too_long(delay)
        result = timedelta(seconds=delay)
    elif isinstance(delay, str):
        result = _parse_duration(delay)
    else:
        raise InvalidDelayError(
            f"delay must be an int of seconds, a string like '30s', '10m', '3h', '2d' or a "
            f"timedelta; got {type(delay).__name__} {delay!r}"
        )
    if result < timedelta(0):
        raise InvalidDelayError(f"delay must not be negative, got {delay!r}")
    if result > MAX_DELAY:
        raise _too_long(delay)
    return result


_MAX_DELAY_SECONDS = int(MAX_DELAY.total_seconds())


def _too_long(delay: object) -> InvalidDelayError:
    return InvalidDelayError(
        f"delay {delay!r} is longer than the limit of {MAX_DELAY.days:,} days "
        f"({_MAX_DELAY_SECONDS:,} seconds, glasswork.jobs.delay.MAX_DELAY)"
    )


def _parse_duration(text: str) -> timedelta:
    compact = text.replace(" ", "")
    parts = _PART.findall(compact)
    if not compact or "".join(number + unit for number, unit in parts) != compact:
        raise InvalidDelayError(
            f"cannot read delay {text!r}: use a number and a unit s, m, h or d "
            "('30s', '10m', '3h', '2d', '1h30m')"
        )
    seconds = sum(int(number) * _UNIT_SECONDS[unit] for number, unit in parts)
    if seconds > _MAX_DELAY_SECONDS:
        raise _too_long(text)
    return timedelta(seconds=seconds)


def delay_until(when: datetime, *, now: datetime | None = None) -> timedelta:
    """How long from ``now`` until ``when``; zero when ``when`` has passed.

    ``when`` must be timezone-aware: a naive datetime is ambiguous and raises ``InvalidDelayError``,
    as does a time more than ``MAX_DELAY`` away.
    """
    if not isinstance(when, datetime):
        raise InvalidDelayError(f"enqueue_at needs a datetime, got {type(when).__name__}")
    if when.tzinfo is None or when.utcoffset() is None:
        raise InvalidDelayError(
            f"enqueue_at needs a timezone-aware datetime, got naive {when.isoformat()}; "
            "use datetime(..., tzinfo=UTC)"
        )
    remaining = when - (now or datetime.now(UTC))
    if remaining > MAX_DELAY:
        raise InvalidDelayError(
            f"enqueue_at {when.isoformat()} is more than {MAX_DELAY.days:,} days away, the "
            "limit (glasswork.jobs.delay.MAX_DELAY)"
        )
    return max(remaining, timedelta(0))
