"""Locale-aware formatting filters on Babel: numbers, percentages, money, dates, relative times.

Register the module as a compile extension (``[tool.glasswork-email] extensions =
["glasswork_email.i18n.formatting"]``) and templates can write ``{{ total | currency("EUR") }}``
or ``{{ placed_at | datetime("Europe/Paris") }}``. Each filter's first parameter is what the
compiler infers the formatted field to be (``Decimal``, ``date``, ``datetime``, ``timedelta``).
The locale is the one of the email being rendered (``current_locale()``, set per render).

Babel is imported by the first call of a filter, not with this module, so a worker whose emails
never format anything does not pay for it; install it with the ``i18n`` extra.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from glasswork_email.i18n.active import DEFAULT_LOCALE, current_locale
from glasswork_email.i18n.number_format import NumberFormatter, number_formatter
from glasswork_email.i18n.tags import fallback_chain

if TYPE_CHECKING:
    from babel import Locale

__all__ = [
    "filters",
    "format_currency",
    "format_date",
    "format_datetime",
    "format_number",
    "format_percent",
    "format_relative_time",
]

DateFormat = Literal["short", "medium", "long", "full"]
"""The CLDR format lengths; any other string is read as a CLDR date pattern (``"d MMM"``)."""


@functools.lru_cache(maxsize=256)
def babel_locale(tag: str) -> Locale:
    """The Babel locale for ``tag``: the first of its fallback chain that CLDR knows.

    ``de-CH-1996`` formats as ``de-CH``, an unknown ``xx-YY`` as ``DEFAULT_LOCALE``. Cached per
    tag for the life of the process (a warm Lambda formats every email in a few locales).

    Parameters:
        tag: a BCP 47 language tag.
    """
    from babel import Locale, UnknownLocaleError

    for candidate in fallback_chain(tag, DEFAULT_LOCALE):
        try:
            return Locale.parse(candidate, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    raise LookupError(f"Babel knows no locale of {tag!r} nor {DEFAULT_LOCALE!r}")


def _checked_digits(digits: int) -> int:
    """``digits`` as a number of fraction digits; ``ValueError`` when negative."""
    if digits < 0:
        raise ValueError(f"decimal_places must be 0 or more, not {digits}")
    return digits


def format_number(value: Decimal, decimal_places: int | None = None) -> str:
    """``value`` with the locale's digit grouping and decimal sign (``1 234,5`` in ``fr``).

    Parameters:
        value: the number.
        decimal_places: exactly this many fraction digits (default: as many as ``value`` has,
            up to three).
    """
    digits = None if decimal_places is None else _checked_digits(decimal_places)
    locale = babel_locale(current_locale())
    return number_formatter(locale, "decimal", None, digits).format(value)


def format_percent(value: Decimal, decimal_places: int = 0) -> str:
    """``value`` as a percentage: ``0.256`` is ``26%`` in ``en``, ``26 %`` in ``fr``.

    Parameters:
        value: the fraction (``1`` is 100 %).
        decimal_places: fraction digits of the percentage (default 0).
    """
    digits = _checked_digits(decimal_places)
    locale = babel_locale(current_locale())
    return number_formatter(locale, "percent", None, digits).format(value)


def format_currency(value: Decimal, currency: str) -> str:
    """An amount of money: ``1234.5 | currency("EUR")`` is ``€1,234.50`` in ``en``.

    The currency's own number of fraction digits is used (none for ``JPY``).

    Parameters:
        value: the amount, a ``Decimal`` (never a float: money must not be rounded on the way).
        currency: the ISO 4217 code (``"EUR"``); ``ValueError`` when it is not one.
    """
    return _currency_formatter(current_locale(), currency).format(value)


@functools.lru_cache(maxsize=512)
def _currency_formatter(tag: str, currency: str) -> NumberFormatter:
    """The formatter of ``currency`` in the locale ``tag``, keyed by plain strings (cheap to hash,
    unlike a ``Locale``); ``ValueError`` when ``currency`` is not an ISO 4217 code."""
    code = currency.upper()
    if code not in _currency_codes():
        raise ValueError(f"unknown currency code {currency!r}: expected ISO 4217, such as 'EUR'")
    return number_formatter(babel_locale(tag), "currency", code, None)


@functools.cache
def _currency_codes() -> frozenset[str]:
    """The ISO 4217 codes CLDR knows (computed once: a new set per call costs more than the
    formatting)."""
    from babel import numbers

    return frozenset(numbers.list_currencies())


def format_date(value: date, format: DateFormat | str = "medium") -> str:
    """A calendar date: ``1 mars 2026`` in ``fr`` (``medium``), ``01.03.2026`` in ``de``.

    Parameters:
        value: the date (a datetime formats its own date, in its own time zone).
        format: ``"short"``, ``"medium"`` (default), ``"long"``, ``"full"`` or a CLDR pattern.
    """
    from babel import dates

    return dates.format_date(value, format=format, locale=babel_locale(current_locale()))


def format_datetime(
    value: datetime, time_zone: str = "UTC", format: DateFormat | str = "medium"
) -> str:
    """An instant shown in a time zone: ``1 mars 2026, 15:05:00`` for 14:05 UTC in Paris.

    A naive datetime (no ``tzinfo``) is read as UTC.

    Parameters:
        value: the instant.
        time_zone: an IANA zone name such as ``"Europe/Paris"`` (default ``"UTC"``);
            ``ValueError`` when the zone database has no such zone.
        format: ``"short"``, ``"medium"`` (default), ``"long"``, ``"full"`` or a CLDR pattern.
    """
    from babel import dates

    try:
        zone = dates.get_timezone(time_zone)
    except LookupError:
        raise ValueError(f"unknown time zone {time_zone!r}: expected an IANA name") from None
    instant = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return dates.format_datetime(
        instant, format=format, tzinfo=zone, locale=babel_locale(current_locale())
    )


def format_relative_time(
    value: timedelta, granularity: Literal["second", "minute", "hour", "day", "week"] = "second"
) -> str:
    """A span from now, with its direction: ``in 3 days`` / ``3 days ago`` (``dans 3 jours``).

    Parameters:
        value: the span; positive is in the future, negative in the past.
        granularity: the smallest unit shown (default ``"second"``).
    """
    from babel import dates

    return dates.format_timedelta(
        value,
        granularity=granularity,
        add_direction=True,
        locale=babel_locale(current_locale()),
    )


filters: dict[str, Callable[..., str]] = {
    "number": format_number,
    "percent": format_percent,
    "currency": format_currency,
    "date": format_date,
    "datetime": format_datetime,
    "relative_time": format_relative_time,
}
"""The filters this module adds to templates compiled with it as an extension, by name."""
