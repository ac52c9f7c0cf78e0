"""``glasswork_email.i18n.formatting``: the locale-aware filters, checked against Babel itself.

Each expected string is written out, and also compared with what Babel's own function returns
for the same input, so a test fails both when the filter drifts from Babel and when Babel's
data changes under us (and the fixed strings in the docs would be wrong).
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from babel import dates, numbers
from jinja2 import Environment, StrictUndefined

from glasswork_email.i18n import current_locale, use_locale
from glasswork_email.i18n.formatting import (
    babel_locale,
    filters,
    format_currency,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    format_relative_time,
)

NBSP = "\xa0"
NNBSP = "\u202f"
RLM = "\u200f"
PLACED_AT = datetime(2026, 3, 1, 14, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en", "€1,234.50"),
        ("en-GB", "€1,234.50"),
        ("fr-FR", f"1{NNBSP}234,50{NBSP}€"),
        ("de-DE", f"1.234,50{NBSP}€"),
        ("pl", f"1{NBSP}234,50{NBSP}€"),
        ("ar", f"{RLM}1,234.50{NBSP}€"),
    ],
)
def test_currency_formats_a_decimal_amount_in_the_current_locale(tag: str, expected: str) -> None:
    with use_locale(tag):
        assert format_currency(Decimal("1234.5"), "EUR") == expected
    assert numbers.format_currency(Decimal("1234.5"), "EUR", locale=tag.replace("-", "_")) == (
        expected
    )


def test_currency_uses_the_currency_s_own_fraction_digits_and_keeps_decimal_precision() -> None:
    with use_locale("en"):
        assert format_currency(Decimal("1234"), "JPY") == "¥1,234"
        assert format_currency(Decimal("0.1") + Decimal("0.2"), "usd") == "$0.30"
        assert format_currency(Decimal("19999999999999999.99"), "USD") == (
            "$19,999,999,999,999,999.99"
        )


def test_currency_rejects_a_code_that_is_not_iso_4217_naming_it() -> None:
    with pytest.raises(ValueError, match="unknown currency code 'EURO'"):
        format_currency(Decimal("1"), "EURO")
    with pytest.raises(ValueError, match="unknown currency code 'ZZZ'"):
        format_currency(Decimal("1"), "ZZZ")


@pytest.mark.parametrize(
    ("tag", "default", "two_places"),
    [
        ("en", "1,234,567.891", "1,234,567.89"),
        ("fr", f"1{NNBSP}234{NNBSP}567,891", f"1{NNBSP}234{NNBSP}567,89"),
        ("de", "1.234.567,891", "1.234.567,89"),
    ],
)
def test_number_groups_digits_and_fixes_decimal_places_per_locale(
    tag: str, default: str, two_places: str
) -> None:
    with use_locale(tag):
        assert format_number(Decimal("1234567.891")) == default
        assert format_number(Decimal("1234567.891"), 2) == two_places
        assert format_number(Decimal("3"), 0) == "3"
    assert numbers.format_decimal(Decimal("1234567.891"), locale=tag) == default


@pytest.mark.parametrize(
    ("tag", "whole", "one_place"),
    [("en", "26%", "25.6%"), ("fr", f"26{NBSP}%", f"25,6{NBSP}%"), ("de", f"26{NBSP}%", None)],
)
def test_percent_keeps_the_locale_s_percent_sign_and_spacing(
    tag: str, whole: str, one_place: str | None
) -> None:
    with use_locale(tag):
        assert format_percent(Decimal("0.256")) == whole
        if one_place is not None:
            assert format_percent(Decimal("0.256"), 1) == one_place
    assert numbers.format_percent(Decimal("0.256"), locale=tag) == whole


def test_negative_decimal_places_are_an_error() -> None:
    with pytest.raises(ValueError, match="decimal_places must be 0 or more"):
        format_number(Decimal("1"), -1)


@pytest.mark.parametrize(
    ("tag", "medium", "long"),
    [
        ("en", "Mar 1, 2026", "March 1, 2026"),
        ("fr", "1 mars 2026", "1 mars 2026"),
        ("de", "01.03.2026", "1. März 2026"),
        ("pl", "1 mar 2026", "1 marca 2026"),
    ],
)
def test_date_formats_per_locale(tag: str, medium: str, long: str) -> None:
    with use_locale(tag):
        assert format_date(date(2026, 3, 1)) == medium
        assert format_date(date(2026, 3, 1), "long") == long
    assert dates.format_date(date(2026, 3, 1), locale=tag) == medium


def test_date_takes_a_cldr_pattern() -> None:
    with use_locale("fr"):
        assert format_date(date(2026, 3, 1), "EEEE d MMMM") == "dimanche 1 mars"


@pytest.mark.parametrize(
    ("tag", "zone", "expected"),
    [
        ("en", "UTC", f"Mar 1, 2026, 2:05:00{NNBSP}PM"),
        ("fr", "Europe/Paris", "1 mars 2026, 15:05:00"),
        ("de", "America/New_York", "01.03.2026, 09:05:00"),
        ("ja", "Asia/Tokyo", "2026/03/01 23:05:00"),
    ],
)
def test_datetime_shows_the_instant_in_the_given_time_zone(
    tag: str, zone: str, expected: str
) -> None:
    with use_locale(tag):
        assert format_datetime(PLACED_AT, zone) == expected
    assert dates.format_datetime(PLACED_AT, tzinfo=dates.get_timezone(zone), locale=tag) == (
        expected
    )


def test_a_naive_datetime_is_read_as_utc() -> None:
    with use_locale("fr"):
        assert format_datetime(PLACED_AT.replace(tzinfo=None), "Europe/Paris", "short") == (
            format_datetime(PLACED_AT, "Europe/Paris", "short")
        )


def test_an_unknown_time_zone_is_an_error_naming_it() -> None:
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        format_datetime(PLACED_AT, "Mars/Olympus")


@pytest.mark.parametrize(
    ("tag", "past", "future"),
    [
        ("en", "3 days ago", "in 5 hours"),
        ("fr", "il y a 3 jours", "dans 5 heures"),
        ("pl", "3 dni temu", "za 5 godzin"),
    ],
)
def test_relative_time_says_the_direction_in_the_locale(tag: str, past: str, future: str) -> None:
    with use_locale(tag):
        assert format_relative_time(timedelta(days=-3)) == past
        assert format_relative_time(timedelta(hours=5)) == future
    assert dates.format_timedelta(timedelta(days=-3), add_direction=True, locale=tag) == past


def test_a_regional_locale_cldr_lacks_formats_as_its_language() -> None:
    with use_locale("fr-XK"):  # CLDR has no fr_XK: it formats as fr
        assert format_currency(Decimal("2"), "EUR") == f"2,00{NBSP}€"
    assert str(babel_locale("de-CH-1996")) == "de_CH"
    assert str(babel_locale("tlh")) == "en"  # no CLDR data at all: the default locale


def test_filters_render_in_a_jinja_template_in_the_locale_of_the_render() -> None:
    environment = Environment(undefined=StrictUndefined, autoescape=True)
    environment.filters.update(filters)
    template = environment.from_string(
        "{{ total | currency('EUR') }} · {{ placed_at | date('long') }} · "
        "{{ placed_at | datetime('Europe/Paris', 'short') }} · {{ rate | percent }}"
    )
    context = {"total": Decimal("42.5"), "placed_at": PLACED_AT, "rate": Decimal("0.2")}
    with use_locale("de"):
        assert template.render(context) == (
            f"42,50{NBSP}€ · 1. März 2026 · 01.03.26, 15:05 · 20{NBSP}%"
        )
    assert template.render(context) == "€42.50 · March 1, 2026 · 3/1/26, 3:05\u202fPM · 20%"


def test_the_locale_is_per_thread_so_concurrent_renders_do_not_mix() -> None:
    def render_in(tag: str) -> tuple[str, str]:
        with use_locale(tag):
            return current_locale(), format_currency(Decimal("1"), "EUR")

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(render_in, ["fr", "en", "de", "en-GB"] * 20))
    assert set(results) == {
        ("fr", f"1,00{NBSP}€"),
        ("en", "€1.00"),
        ("de", f"1,00{NBSP}€"),
        ("en-GB", "€1.00"),
    }
    assert current_locale() == "en"


def test_importing_the_filters_does_not_import_babel() -> None:
    probe = (
        "import sys, glasswork_email.i18n.formatting as f\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'babel'], 'babel imported'\n"
        "from decimal import Decimal\n"
        "f.format_number(Decimal(1))\n"
        "assert 'babel.numbers' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)
