"""Localised email: locale tags, the locale of the render in progress, catalogs and formatting.

The names below are imported on first use, so the runtime modules of this package (the
catalogs, the translation callables) load no more than they need. Only the standard library is
imported by them; ``glasswork_email.i18n.formatting`` (the locale-aware filters, on Babel) is
imported by the emails that use it, and the extraction and catalog tools behind the CLI never
by the worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from glasswork.lazy_exports import lazy_attributes

if TYPE_CHECKING:
    from glasswork_email.i18n.active import DEFAULT_LOCALE, current_locale, use_locale
    from glasswork_email.i18n.tags import (
        InvalidLocaleError,
        fallback_chain,
        normalize_locale_tag,
    )

__all__ = [
    "DEFAULT_LOCALE",
    "InvalidLocaleError",
    "current_locale",
    "fallback_chain",
    "normalize_locale_tag",
    "use_locale",
]

_EXPORTS = {
    "DEFAULT_LOCALE": "glasswork_email.i18n.active",
    "InvalidLocaleError": "glasswork_email.i18n.tags",
    "current_locale": "glasswork_email.i18n.active",
    "fallback_chain": "glasswork_email.i18n.tags",
    "normalize_locale_tag": "glasswork_email.i18n.tags",
    "use_locale": "glasswork_email.i18n.active",
}

__getattr__ = lazy_attributes("glasswork_email.i18n", _EXPORTS, globals())
