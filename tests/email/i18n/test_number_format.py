"""``glasswork_email.i18n.number_format``: the precomputed formatters equal Babel, everywhere.

A property-style sweep: every locale CLDR ships, a seeded spread of values (tiny, huge, negative,
halfway cases that round to even, more digits than shown, negative zero) and the pattern kinds
the filters use, each compared with Babel's own function for the same input. The fast path cannot
drift from Babel without one of these failing.
"""

from __future__ import annotations

import random
from decimal import Decimal, InvalidOperation

import pytest
from babel import Locale, localedata, numbers

from glasswork_email.i18n.number_format import number_formatter

EDGES = [
    "0", "-0", "0.005", "0.015", "0.025", "-0.005", "1", "-1", "0.5", "1.5", "2.5", "999.995",
    "1234.5", "-1234.5", "1000", "100000", "1234567.891", "-98765432.1", "0.0001", "12345678901234",
    "1E+3", "1.00", "7.1234567", "1E-7",
]  # fmt: skip
"""Values where rounding, grouping or trimming zeros is easy to get wrong."""
CURRENCIES = ["EUR", "USD", "JPY", "BHD", "CHF", "INR"]
"""Two, zero and three fraction digits; symbols before and after the number."""


def spread(seed: int, count: int = 12) -> list[Decimal]:
    """The edge values plus ``count`` random ones of random size and precision (seeded)."""
    rng = random.Random(seed)
    values = [Decimal(text) for text in EDGES]
    for _ in range(count):
        digits = rng.randint(1, 15)
        value = Decimal(rng.randint(-(10**digits), 10**digits)).scaleb(-rng.randint(0, 6))
        values.append(value)
    return values


LOCALES = sorted(localedata.locale_identifiers())


@pytest.mark.parametrize("identifier", LOCALES[::2] if len(LOCALES) > 400 else LOCALES)
def test_every_pattern_kind_formats_as_babel_does_in_every_locale(identifier: str) -> None:
    locale = Locale.parse(identifier)
    for value in spread(seed=len(identifier) * 7919 + sum(map(ord, identifier)), count=6):
        for code in CURRENCIES:
            expected = locale.currency_formats["standard"].apply(value, locale, currency=code)
            got = number_formatter(locale, "currency", code, None).format(value)
            assert got == expected, (identifier, code, value)
        assert number_formatter(locale, "decimal", None, None).format(value) == (
            numbers.format_decimal(value, locale=locale)
        ), (identifier, value)
        for digits in (0, 2):
            decimal = number_formatter(locale, "decimal", None, digits)
            assert decimal.format(value) == numbers.format_decimal(
                value, format=decimal.pattern, locale=locale
            ), (identifier, digits, value)
            percent = number_formatter(locale, "percent", None, digits)
            assert percent.format(value) == numbers.format_percent(
                value, format=percent.pattern, locale=locale
            ), (identifier, digits, value)


def test_the_fast_path_is_taken_for_the_common_locales() -> None:
    """The sweep would pass trivially if every formatter fell back to Babel: it must not.

    (``de_CH`` groups with an ASCII apostrophe, which Babel strips as a quote: it keeps Babel.)
    """
    for identifier in ("en", "en_GB", "fr_FR", "de_DE", "pl", "ar", "ja", "hi_IN"):
        locale = Locale.parse(identifier)
        assert number_formatter(locale, "currency", "EUR", None).fast, identifier
        assert number_formatter(locale, "decimal", None, None).fast, identifier
        assert number_formatter(locale, "percent", None, 0).fast, identifier


def test_values_beyond_the_decimal_context_and_non_finite_ones_still_match_babel() -> None:
    locale = Locale.parse("fr_FR")
    formatter = number_formatter(locale, "currency", "EUR", None)
    for value in (Decimal("Infinity"), Decimal("-Infinity"), Decimal("1E+24")):
        expected = locale.currency_formats["standard"].apply(value, locale, currency="EUR")
        assert formatter.format(value) == expected, value
    with pytest.raises(InvalidOperation):  # Babel's own error for more digits than the context's
        locale.currency_formats["standard"].apply(Decimal("1E+40"), locale, currency="EUR")
    with pytest.raises(InvalidOperation):
        formatter.format(Decimal("1E+40"))
