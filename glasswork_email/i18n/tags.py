"""BCP 47 language tags (``fr-CA``, ``zh-Hant-TW``): validation, normal case, fallback chains.

Payloads carry a tag that the worker may render with a catalog, a Babel locale or neither, so
the tag is checked with the standard library alone (the well-formedness grammar of RFC 5646,
without the irregular grandfathered tags) rather than against a locale database.
"""

from __future__ import annotations

import re

__all__ = ["InvalidLocaleError", "fallback_chain", "normalize_locale_tag", "to_posix_locale"]


# A pattern, not a compiled regex: re compiles (and caches) it on first use (half a
# millisecond), and a bare language (``en``, ``fr``), what a project's own catalogs and most
# payloads name, never needs it. Read with re.VERBOSE.
_LANGUAGE_TAG = r"""
    (?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})
    (?:-(?P<script>[a-z]{4}))?
    (?:-(?P<region>[a-z]{2}|[0-9]{3}))?
    (?P<variants>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)
    (?P<extensions>(?:-[a-wy-z0-9](?:-[a-z0-9]{2,8})+)*)
    (?P<private>-x(?:-[a-z0-9]{1,8})+)?
"""


class InvalidLocaleError(ValueError):
    """A locale that is not a well-formed BCP 47 language tag; the message says what was given."""

    def __init__(self, tag: object) -> None:
        self.tag = tag
        super().__init__(
            f"invalid locale {tag!r}: expected a BCP 47 language tag such as 'fr' or 'fr-CA'"
        )


def normalize_locale_tag(tag: str) -> str:
    """``tag`` in its normal case (``FR_ca`` → ``fr-CA``); raises ``InvalidLocaleError``.

    Underscores (the POSIX spelling of gettext folders, ``fr_CA``) are read as hyphens.

    Parameters:
        tag: a language tag.
    """
    core, rest = _split(tag)
    return "-".join(core) + rest


def fallback_chain(tag: str, default: str) -> tuple[str, ...]:
    """The locales to try for ``tag``, most specific first, ending with ``default``.

    ``fallback_chain("zh-Hant-TW", "en")`` is ``("zh-Hant-TW", "zh-Hant", "zh", "en")``;
    variants and extensions go first. Both tags are normalised; no locale appears twice.

    Parameters:
        tag: the locale asked for.
        default: the project's default locale, tried last.
    """
    core, rest = _split(tag)
    chain = ["-".join(core) + rest] if rest else []
    chain.extend("-".join(core[:length]) for length in range(len(core), 0, -1))
    default = normalize_locale_tag(default)
    if default not in chain:
        chain.append(default)
    return tuple(chain)


def _split(tag: str) -> tuple[list[str], str]:
    """The normalised language, script and region of ``tag``, and the rest of it in lower case."""
    if not isinstance(tag, str):
        raise InvalidLocaleError(tag)
    if 2 <= len(tag) <= 8 and tag.isascii() and tag.isalpha():
        return [tag.lower()], ""  # a bare language: what the grammar's language part matches
    match = re.fullmatch(_LANGUAGE_TAG, tag.replace("_", "-").lower(), re.VERBOSE)
    if match is None:
        raise InvalidLocaleError(tag)
    core = [match["language"]]
    if match["script"]:
        core.append(match["script"].title())
    if match["region"]:
        core.append(match["region"].upper())
    return core, (match["variants"] or "") + (match["extensions"] or "") + (match["private"] or "")


def to_posix_locale(tag: str) -> str:
    """``tag`` as gettext and Babel spell locales: ``fr-CA`` → ``fr_CA``.

    Parameters:
        tag: a normalised language tag.
    """
    return tag.replace("-", "_")
