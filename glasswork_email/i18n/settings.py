"""A project's localisation settings: default locale, locales, what a missing translation does.

They come from the compile configuration (``glasswork_email.compiler.config``):
``default_locale``, ``locales`` and ``missing_translation`` in ``[tool.glasswork-email]``.
Without them, a project whose templates folder has a ``locales/`` folder is localised with the
default ``en`` and every ``locales/<locale>.po`` it holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from glasswork_email.i18n.active import DEFAULT_LOCALE
from glasswork_email.i18n.paths import CATALOG_FOLDER, I18N_MODULE, LOCALES_FOLDER, POT_NAME
from glasswork_email.i18n.tags import InvalidLocaleError, normalize_locale_tag

__all__ = [
    "CATALOG_FOLDER",
    "I18N_MODULE",
    "LOCALES_FOLDER",
    "POT_NAME",
    "LocaleSettings",
    "MissingTranslation",
]

MissingTranslation = Literal["fail", "fallback"]
"""``"fail"``: a missing or fuzzy translation fails ``compile`` and ``--check``; ``"fallback"``:
it is reported and the email shows the next locale of the chain (finally the source text)."""


@dataclass(frozen=True)
class LocaleSettings:
    """How a project is localised.

    Parameters:
        default_locale: the language the templates are written in (default ``"en"``).
        locales: the locales translated into (default: one per ``locales/<locale>.po``).
        missing_translation: ``"fallback"`` (default) or ``"fail"``.
        configured: whether the project's configuration set any of these (a configured project
            is localised even before it has catalogs).
    """

    default_locale: str = DEFAULT_LOCALE
    locales: tuple[str, ...] | None = None
    missing_translation: MissingTranslation = "fallback"
    configured: bool = False

    @classmethod
    def from_table(cls, table: dict[str, object], where: str) -> LocaleSettings:
        """The settings in a configuration table; ``ValueError`` naming the key when invalid.

        Parameters:
            table: the ``[tool.glasswork-email]`` table (other keys are ignored here).
            where: the file it was read from, for errors.
        """
        default = table.get("default_locale", DEFAULT_LOCALE)
        locales = table.get("locales")
        missing = table.get("missing_translation", "fallback")
        try:
            if not isinstance(default, str):
                raise InvalidLocaleError(default)
            default = normalize_locale_tag(default)
            if locales is not None:
                if not isinstance(locales, list):
                    raise ValueError(f"{where}: locales must be a list of locale tags")
                locales = tuple(normalize_locale_tag(str(tag)) for tag in locales)
        except InvalidLocaleError as error:
            raise ValueError(f"{where}: {error}") from None
        if missing not in ("fail", "fallback"):
            raise ValueError(
                f"{where}: missing_translation must be 'fail' or 'fallback', not {missing!r}"
            )
        configured = any(
            key in table for key in ("default_locale", "locales", "missing_translation")
        )
        return cls(default, locales, missing, configured)

    def catalog_paths(self, templates: Path) -> dict[str, Path]:
        """The ``.po`` file of each translated locale (whether it exists yet or not), by tag."""
        folder = templates / LOCALES_FOLDER
        if self.locales is not None:
            tags = [tag for tag in self.locales if tag != self.default_locale]
        else:
            found = sorted(folder.glob("*.po")) if folder.is_dir() else []
            tags = [normalize_locale_tag(path.stem) for path in found]
        return {tag: folder / f"{tag}.po" for tag in tags}

    def is_localised(self, templates: Path) -> bool:
        """Whether the package compiled from ``templates`` carries catalogs."""
        return self.configured or (templates / LOCALES_FOLDER).is_dir()
