"""Localised email: locale tags, the locale of the render in progress, catalogs and formatting.

Only the standard library is imported here. ``glasswork_email.i18n.formatting`` (the
locale-aware filters, on Babel) is imported by the emails that use it, and the extraction and
catalog tools behind the CLI never by the worker.
"""

from __future__ import annotations

from glasswork_email.i18n.active import DEFAULT_LOCALE, current_locale, use_locale
from glasswork_email.i18n.tags import InvalidLocaleError, fallback_chain, normalize_locale_tag

__all__ = [
    "DEFAULT_LOCALE",
    "InvalidLocaleError",
    "current_locale",
    "fallback_chain",
    "normalize_locale_tag",
    "use_locale",
]
