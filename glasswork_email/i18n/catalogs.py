"""The message catalogs of a generated package, loaded with the standard library's ``gettext``.

``glasswork-email compile`` turns ``templates/locales/<locale>.po`` into
``<package>/_locales/<locale>.mo`` and writes ``_i18n.py``, which holds one ``Catalogs``. A
render asks it for the locale its email is written in (the first of the payload locale's
fallback chain that has a catalog, else the project default) and for the ``gettext`` callables
the precompiled ``{% trans %}`` code calls. A message missing in ``fr-CA`` is looked up in
``fr``, then left in the source language.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from glasswork_email.i18n.tags import fallback_chain, normalize_locale_tag, to_posix_locale
from glasswork_email.i18n.translators import (
    SOURCE_LANGUAGE,
    Translations,
    jinja_callables,
    source_language_callables,
)

if TYPE_CHECKING:
    import gettext

__all__ = ["Catalogs", "LocaleChoice", "identity_globals"]

logger = logging.getLogger(__name__)


class LocaleChoice(NamedTuple):
    """How one email is localised.

    Parameters:
        requested: the payload's locale (normalised), or the default when it gave none.
        language: the locale whose catalog the words come from (``fr`` for ``fr-CA`` when only
            ``fr`` is translated; the default when nothing matches).
        formatting: the locale numbers and dates are formatted in: ``requested`` when it is a
            variant of ``language``, else ``language`` (never an English email with German dates).
        direction: ``"rtl"`` or ``"ltr"``, the writing direction of ``language``.
    """

    requested: str
    language: str
    formatting: str
    direction: str


class Catalogs:
    """The translations of one generated package, by locale; loaded on first use and cached.

    Parameters:
        package: the generated package's dotted name (its ``_locales`` folder holds the ``.mo``).
        default_locale: the language the templates are written in, used when nothing matches.
        locales: the locales with a catalog (the default needs none).
        rtl_locales: those of ``locales`` (and the default) written right to left.
    """

    def __init__(
        self,
        *,
        package: str,
        default_locale: str,
        locales: Iterable[str] = (),
        rtl_locales: Iterable[str] = (),
    ) -> None:
        self.package = package
        self.default_locale = normalize_locale_tag(default_locale)
        self.locales = tuple(normalize_locale_tag(tag) for tag in locales)
        self.rtl_locales = frozenset(normalize_locale_tag(tag) for tag in rtl_locales)
        self._choices: dict[str, LocaleChoice] = {}
        self._callables: dict[str, dict[str, Any]] = {}

    def __repr__(self) -> str:
        return f"Catalogs({self.package!r}, default={self.default_locale!r}, {self.locales})"

    def choose(self, tag: str | None) -> LocaleChoice:
        """How an email asked for in ``tag`` (``None``: the default) is localised.

        Parameters:
            tag: a BCP 47 tag; ``InvalidLocaleError`` when malformed.
        """
        key = tag or self.default_locale
        choice = self._choices.get(key)
        if choice is None:
            choice = self._choose(key)
            self._choices[key] = choice
        return choice

    def _choose(self, tag: str) -> LocaleChoice:
        requested = normalize_locale_tag(tag)
        translated = (*self.locales, self.default_locale)
        chain = fallback_chain(requested, self.default_locale)
        language = next(candidate for candidate in chain if candidate in translated)
        same_language = requested.split("-")[0] == language.split("-")[0]
        return LocaleChoice(
            requested=requested,
            language=language,
            formatting=requested if same_language else language,
            direction="rtl" if language in self.rtl_locales else "ltr",
        )

    def translations(self, language: str) -> Translations:
        """The translations of ``language`` (a chosen ``LocaleChoice.language``), with the
        catalogs of its less specific locales as fallbacks (``fr-CA`` → ``fr``)."""
        chain = [
            tag
            for tag in fallback_chain(language, self.default_locale)
            if tag in self.locales and tag != self.default_locale
        ]
        if not chain:
            return SOURCE_LANGUAGE
        import gettext  # on the first email in a translated language, not with the package

        translations: gettext.NullTranslations = gettext.NullTranslations()
        for tag in reversed(chain):
            catalog = self._load(tag)
            catalog.add_fallback(translations)
            translations = catalog
        return translations

    def _load(self, tag: str) -> gettext.GNUTranslations:
        import gettext

        # Only a catalog to read needs the folder's name: not the default language's emails.
        from glasswork_email.i18n.paths import CATALOG_FOLDER

        module = sys.modules[self.package]
        folder = os.path.dirname(module.__file__ or "")
        path = os.path.join(folder, CATALOG_FOLDER, f"{to_posix_locale(tag)}.mo")
        with open(path, "rb") as file:
            catalog = gettext.GNUTranslations(file)
        logger.debug("loaded the %s catalog of %s", tag, self.package)
        return catalog

    def template_globals(self, language: str) -> dict[str, Any]:
        """The names precompiled templates call to translate (``gettext``, ``_``, ``ngettext``,
        ``pgettext``, ``npgettext``), for ``language``; built once per language."""
        names = self._callables.get(language)
        if names is None:
            names = jinja_callables(self.translations(language))
            self._callables[language] = names
        return names


def identity_globals() -> dict[str, Any]:
    """The ``gettext`` callables of a package without catalogs (``source_language_callables``)."""
    return source_language_callables()
