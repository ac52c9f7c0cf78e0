"""The locale of the email being rendered, which the formatting filters format in.

``CompiledTemplate.render`` sets it for the duration of one render (``use_locale``); outside a
render it is ``DEFAULT_LOCALE``. It is a ``ContextVar``, so renders running concurrently in
threads or tasks each see their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from glasswork_email.i18n.tags import normalize_locale_tag

__all__ = ["DEFAULT_LOCALE", "current_locale", "use_locale"]

DEFAULT_LOCALE = "en"
"""The locale outside any render, and the default of a project that configures none."""

_ACTIVE_LOCALE: ContextVar[str] = ContextVar("glasswork_email_locale", default=DEFAULT_LOCALE)


def current_locale() -> str:
    """The normalised BCP 47 tag of the render in progress (``DEFAULT_LOCALE`` outside one)."""
    return _ACTIVE_LOCALE.get()


@contextmanager
def use_locale(tag: str) -> Iterator[str]:
    """Make ``tag`` the current locale inside the ``with`` block; yields the normalised tag.

    Parameters:
        tag: a BCP 47 language tag; ``InvalidLocaleError`` when it is not one.
    """
    token = _ACTIVE_LOCALE.set(normalize_locale_tag(tag))
    try:
        yield _ACTIVE_LOCALE.get()
    finally:
        _ACTIVE_LOCALE.reset(token)
