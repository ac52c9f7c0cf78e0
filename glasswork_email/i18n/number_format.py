"""Precomputed number formatters: Babel's ``NumberPattern.apply`` output, without its per-call work.

Babel re-reads the locale's symbols, the currency's precision and symbol, and runs a regex over
the result on every call; a receipt with ten prices pays that ten times per render. A
``NumberFormatter`` resolves all of it once per (locale, pattern kind, currency, fraction digits)
and then only rounds, groups and joins. Patterns it cannot reproduce exactly (scientific or
significant-digit patterns, quoted literals, per-value currency names) keep Babel's own path, so
the output is Babel's in every case; ``tests/email/i18n/test_formatting.py`` sweeps values and
locales against Babel to keep it so.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

__all__ = ["NumberFormatter", "PatternKind", "number_formatter"]

PatternKind = Literal["decimal", "percent", "currency"]
"""Which of the locale's standard number patterns a formatter applies."""


@dataclass(frozen=True, slots=True)
class NumberFormatter:
    """One locale's pattern with everything a call needs resolved: affixes, symbols, precision.

    ``fast`` is false when the pattern needs Babel's general path; ``format`` then calls it.
    """

    pattern: NumberPattern
    locale: Locale
    currency: str | None
    fast: bool
    prefixes: tuple[str, str]
    suffixes: tuple[str, str]
    scale: int
    min_int: int
    grouping: tuple[int, int]
    group_symbol: str
    decimal_symbol: str
    min_frac: int
    max_frac: int
    quantum: Decimal

    def format(self, value: Decimal) -> str:
        """``value`` formatted exactly as ``pattern.apply(value, locale, currency=...)`` would."""
        if not self.fast or not isinstance(value, Decimal) or not value.is_finite():
            return self._babel(value)
        scaled = value.scaleb(self.scale) if self.scale else value
        negative = int(scaled.is_signed())
        try:
            rounded = abs(scaled).normalize().quantize(self.quantum)
        except ArithmeticError:  # beyond the context's precision: Babel says what happens
            return self._babel(value)
        integer, _, fraction = f"{rounded:f}".partition(".")
        number = self._group(integer) + self._fraction(fraction)
        return self.prefixes[negative] + number + self.suffixes[negative]

    def _group(self, digits: str) -> str:
        if len(digits) < self.min_int:
            digits = "0" * (self.min_int - len(digits)) + digits
        size, symbol = self.grouping[0], self.group_symbol
        if len(digits) <= size:
            return digits
        groups: list[str] = []
        while len(digits) > size:
            groups.append(digits[-size:])
            digits = digits[:-size]
            size = self.grouping[1]
        groups.append(digits)
        return symbol.join(reversed(groups))

    def _fraction(self, digits: str) -> str:
        digits = digits or "0"
        if len(digits) < self.min_frac:
            digits += "0" * (self.min_frac - len(digits))
        if self.max_frac == 0 or (self.min_frac == 0 and int(digits) == 0):
            return ""
        stripped = digits.rstrip("0")
        if len(stripped) < self.min_frac:
            stripped = digits[: self.min_frac]
        return self.decimal_symbol + stripped

    def _babel(self, value: Decimal) -> str:
        return str(self.pattern.apply(value, self.locale, currency=self.currency))


@functools.lru_cache(maxsize=512)
def number_formatter(
    locale: Locale, kind: PatternKind, currency: str | None, fraction_digits: int | None
) -> NumberFormatter:
    """The formatter of ``locale``'s standard ``kind`` pattern, cached for the process.

    Parameters:
        locale: the Babel locale.
        kind: ``"decimal"``, ``"percent"`` or ``"currency"`` (its ``standard`` pattern).
        currency: the ISO 4217 code a currency pattern shows (its precision and symbol).
        fraction_digits: exactly this many fraction digits, instead of the pattern's own
            (ignored for a currency, which has its own).
    """
    import copy

    from babel import numbers

    if kind == "currency":
        pattern = locale.currency_formats["standard"]
    elif kind == "percent":
        pattern = locale.percent_formats[None]
    else:
        pattern = locale.decimal_formats[None]
    if fraction_digits is not None and currency is None:
        pattern = copy.copy(pattern)
        pattern.frac_prec = (fraction_digits, fraction_digits)
    if currency is not None:
        digits = numbers.get_currency_precision(currency)
        min_frac, max_frac = digits, digits
        symbol = numbers.get_currency_symbol(currency, locale)
    else:
        min_frac, max_frac = pattern.frac_prec
        symbol = ""
    group = numbers.get_group_symbol(locale, numbering_system="latn")
    decimal = numbers.get_decimal_symbol(locale, numbering_system="latn")
    affixes = (*pattern.prefix, *pattern.suffix)
    fast = (
        not pattern.exp_prec
        and "@" not in pattern.pattern
        and pattern.number_pattern != ""
        and not any("'" in affix or "¤¤¤" in affix for affix in affixes)
        and not any(char in text for text in (group, decimal, symbol) for char in "'¤")
    )

    def resolved(affix: str) -> str:
        if currency is None or "¤" not in affix:
            return affix
        return affix.replace("¤¤", currency.upper()).replace("¤", symbol)

    return NumberFormatter(
        pattern=pattern,
        locale=locale,
        currency=currency,
        fast=fast,
        prefixes=(resolved(pattern.prefix[0]), resolved(pattern.prefix[1])),
        suffixes=(resolved(pattern.suffix[0]), resolved(pattern.suffix[1])),
        scale=pattern.scale,
        min_int=pattern.int_prec[0],
        grouping=pattern.grouping,
        group_symbol=group,
        decimal_symbol=decimal,
        min_frac=min_frac,
        max_frac=max_frac,
        quantum=numbers.get_decimal_quantum(max_frac),
    )
