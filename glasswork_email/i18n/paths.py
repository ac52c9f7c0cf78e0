"""Where localisation files live: in the templates folder and in a generated package."""

from __future__ import annotations

__all__ = ["CATALOG_FOLDER", "I18N_MODULE", "LOCALES_FOLDER", "POT_NAME"]

LOCALES_FOLDER = "locales"
"""The folder of catalogs inside the templates folder: ``messages.pot`` and ``<locale>.po``."""
POT_NAME = "messages.pot"
"""The message template extracted from the templates."""
CATALOG_FOLDER = "_locales"
"""The folder of compiled ``<locale>.mo`` catalogs inside a generated package."""
I18N_MODULE = "_i18n.py"
"""The generated module holding a localised package's ``Catalogs``."""
