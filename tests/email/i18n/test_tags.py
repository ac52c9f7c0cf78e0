"""``glasswork_email.i18n.tags``: BCP 47 validation, normal case and fallback chains."""

from __future__ import annotations

import pytest

from glasswork_email.i18n.tags import (
    InvalidLocaleError,
    fallback_chain,
    normalize_locale_tag,
    to_posix_locale,
)


@pytest.mark.parametrize(
    ("given", "normal"),
    [
        ("fr", "fr"),
        ("EN", "en"),
        ("Tlh", "tlh"),
        ("abcdefgh", "abcdefgh"),
        ("fr-CA", "fr-CA"),
        ("FR_ca", "fr-CA"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("es-419", "es-419"),
        ("de-DE-u-co-phonebk", "de-DE-u-co-phonebk"),
        ("en-x-private", "en-x-private"),
    ],
)
def test_well_formed_tags_are_normalised(given: str, normal: str) -> None:
    assert normalize_locale_tag(given) == normal


@pytest.mark.parametrize(
    "bad", ["", "f", "fr-", "français", "fr-CA-", "en us", "e1", "fr--CA", "abcdefghi"]
)
def test_malformed_tags_are_rejected_naming_the_tag(bad: str) -> None:
    with pytest.raises(InvalidLocaleError, match=f"invalid locale {bad!r}: expected a BCP 47"):
        normalize_locale_tag(bad)


def test_a_tag_that_is_not_a_string_is_rejected() -> None:
    with pytest.raises(InvalidLocaleError, match="invalid locale 12"):
        normalize_locale_tag(12)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("tag", "default", "chain"),
    [
        ("fr-CA", "en", ("fr-CA", "fr", "en")),
        ("fr", "en", ("fr", "en")),
        ("en-GB", "en", ("en-GB", "en")),
        ("en", "en", ("en",)),
        ("zh-Hant-TW", "en-US", ("zh-Hant-TW", "zh-Hant", "zh", "en-US")),
        ("de-CH-1996", "fr", ("de-CH-1996", "de-CH", "de", "fr")),
    ],
)
def test_fallback_chain_goes_from_most_specific_to_the_default(
    tag: str, default: str, chain: tuple[str, ...]
) -> None:
    assert fallback_chain(tag, default) == chain


def test_posix_spelling_uses_underscores() -> None:
    assert to_posix_locale("fr-CA") == "fr_CA"
