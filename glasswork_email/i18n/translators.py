"""The ``gettext`` callables precompiled templates translate with, for one language.

Jinja's "new style" gettext formats ``%(name)s`` itself: in an autoescaped part the values are
escaped, the (trusted) translation is not. Whether a part is autoescaped is known when it is
compiled, so the compiler (``glasswork_email.i18n.direct_calls``) makes each translation call
a direct call of ``.html(...)`` or ``.text(...)``, with no ``context.call`` and no check of the
context per call. Called any other way (a template compiled otherwise, a callable passed on),
the callable reads the mode from the context, as Jinja's own does, with the same result.

A translated message without values is looked up and formatted once per language and kept;
these are warm caches of the Lambda's later invocations, bounded in size.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, Protocol

from jinja2 import pass_context
from markupsafe import Markup, escape

if TYPE_CHECKING:
    from jinja2.runtime import Context

__all__ = [
    "MAX_CACHED_MESSAGES",
    "SOURCE_LANGUAGE",
    "Translations",
    "jinja_callables",
    "source_language_callables",
]

MAX_CACHED_MESSAGES = 4096
"""At most this many formatted messages are kept per language and escaping mode (messages
come from the templates, but ``_(value)`` can translate anything)."""
_CONVERSION = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[a-zA-Z%]")


class Translations(Protocol):
    """What a language's translations answer: ``gettext.NullTranslations`` and its subclasses
    (a catalog read with ``gettext.GNUTranslations``), or ``SOURCE_LANGUAGE``."""

    def gettext(self, message: str, /) -> str:
        """The translation of ``message``."""
        ...

    def ngettext(self, singular: str, plural: str, count: int, /) -> str:
        """The translation of the form of ``singular``/``plural`` that ``count`` takes."""
        ...

    def pgettext(self, context: str, message: str, /) -> str:
        """The translation of ``message`` in ``context``."""
        ...

    def npgettext(self, context: str, singular: str, plural: str, count: int, /) -> str:
        """The plural form ``count`` takes of ``singular``/``plural`` in ``context``."""
        ...


class _SourceLanguage:
    """The messages as the templates write them (``gettext.NullTranslations``' answers,
    without importing ``gettext``): English plural rule, one form for 1, the other else."""

    __slots__ = ()

    def gettext(self, message: str, /) -> str:
        return message

    def ngettext(self, singular: str, plural: str, count: int, /) -> str:
        return singular if count == 1 else plural

    def pgettext(self, context: str, message: str, /) -> str:
        return message

    def npgettext(self, context: str, singular: str, plural: str, count: int, /) -> str:
        return singular if count == 1 else plural


SOURCE_LANGUAGE: Translations = _SourceLanguage()
"""The translations of the language the templates are written in: none."""


@functools.lru_cache(maxsize=MAX_CACHED_MESSAGES)
def _only_named_strings(message: str) -> bool:
    """Whether every conversion of ``message`` is ``%(name)s`` or ``%%``: then escaping each
    value first formats exactly as ``Markup.__mod__`` does."""
    return all(
        spec == "%%" or (spec.startswith("%(") and spec.endswith(")s"))
        for spec in _CONVERSION.findall(message)
    )


class _Formatter:
    """Formats translated messages for one escaping mode; keeps those without values."""

    __slots__ = ("cache", "html")

    def __init__(self, html: bool) -> None:
        self.html = html
        self.cache: dict[Any, str] = {}

    def keep(self, key: Any, formatted: str) -> str:
        if len(self.cache) < MAX_CACHED_MESSAGES:
            self.cache[key] = formatted
        return formatted

    def format(self, translated: str, variables: dict[str, Any]) -> str:
        if not self.html:
            return translated % variables
        if _only_named_strings(translated):
            escaped = {name: escape(value) for name, value in variables.items()}
            return _markup(translated % escaped)
        return Markup(translated) % variables


def _markup(escaped: str) -> Markup:
    """``escaped`` as ``Markup``, without ``Markup.__new__``'s checks (it is a plain ``str``)."""
    return str.__new__(Markup, escaped)


class _Translator:
    """One gettext function of a language, callable the three ways a part may call it:
    ``.html(...)`` and ``.text(...)`` from parts compiled for this module, the callable itself
    (the mode read from the Jinja context) from any other."""

    __slots__ = ("_html", "_text", "translations")

    def __init__(self, translations: Translations) -> None:
        self.translations = translations
        self._html = _Formatter(html=True)
        self._text = _Formatter(html=False)

    def translate(self, formatter: _Formatter, *arguments: Any, **variables: Any) -> str:
        """The translation of ``arguments`` (the gettext function's), formatted."""
        raise NotImplementedError

    def html(self, *arguments: Any, **variables: Any) -> str:
        """The translation, its values escaped (an autoescaped part)."""
        return self.translate(self._html, *arguments, **variables)

    def text(self, *arguments: Any, **variables: Any) -> str:
        """The translation, its values as they are (subject, preheader, plain text)."""
        return self.translate(self._text, *arguments, **variables)

    @pass_context
    def __call__(self, context: Context, *arguments: Any, **variables: Any) -> str:
        formatter = self._html if context.eval_ctx.autoescape else self._text
        return self.translate(formatter, *arguments, **variables)


class _Gettext(_Translator):
    """``gettext`` and ``_``: most calls of a template. A message without values is one
    dictionary lookup; with values, its translation is looked up once and then formatted."""

    __slots__ = ("_found", "html_messages", "text_messages")

    def __init__(self, translations: Translations) -> None:
        super().__init__(translations)
        self._found: dict[str, tuple[str, bool]] = {}
        """message → its translation, and whether it has only ``%(name)s`` conversions."""
        self.html_messages = self._html.cache
        """message without values → its translation as ``Markup`` (read by compiled parts)."""
        self.text_messages = self._text.cache
        """message without values → its translation (read by compiled parts)."""

    def _translation(self, message: str) -> tuple[str, bool]:
        found = self._found.get(message)
        if found is None:
            translated = self.translations.gettext(message)
            found = (translated, _only_named_strings(translated))
            if len(self._found) < MAX_CACHED_MESSAGES:
                self._found[message] = found
        return found

    def html(self, *arguments: Any, **variables: Any) -> str:
        message = arguments[0]
        if not variables:
            kept = self._html.cache.get(message)
            if kept is not None:
                return kept
            return self._html.keep(message, Markup(self._translation(message)[0]) % {})
        translated, only_named = self._found.get(message) or self._translation(message)
        if only_named:
            escaped = {name: escape(value) for name, value in variables.items()}
            return _markup(translated % escaped)
        return Markup(translated) % variables

    def text(self, *arguments: Any, **variables: Any) -> str:
        message = arguments[0]
        if not variables:
            kept = self._text.cache.get(message)
            if kept is not None:
                return kept
            return self._text.keep(message, self._translation(message)[0] % {})
        return (self._found.get(message) or self._translation(message))[0] % variables

    def translate(self, formatter: _Formatter, *arguments: Any, **variables: Any) -> str:
        (message,) = arguments
        if formatter.html:
            return self.html(message, **variables)
        return self.text(message, **variables)


class _Pgettext(_Translator):
    __slots__ = ()

    def translate(self, formatter: _Formatter, *arguments: Any, **variables: Any) -> str:
        context, message = arguments
        translated = self.translations.pgettext(context, message)
        if variables:
            return formatter.format(translated, variables)
        found = formatter.cache.get(arguments)
        if found is not None:
            return found
        return formatter.keep(arguments, formatter.format(translated, {}))


class _Ngettext(_Translator):
    __slots__ = ()

    def translate(self, formatter: _Formatter, *arguments: Any, **variables: Any) -> str:
        singular, plural, count = arguments
        variables.setdefault("num", count)
        return formatter.format(self.translations.ngettext(singular, plural, count), variables)


class _Npgettext(_Translator):
    __slots__ = ()

    def translate(self, formatter: _Formatter, *arguments: Any, **variables: Any) -> str:
        context, singular, plural, count = arguments
        variables.setdefault("num", count)
        translated = self.translations.npgettext(context, singular, plural, count)
        return formatter.format(translated, variables)


def jinja_callables(translations: Translations) -> dict[str, Any]:
    """The names precompiled templates translate with (``gettext``, ``_``, ``ngettext``,
    ``pgettext``, ``npgettext``), translating with ``translations``.

    Parameters:
        translations: a language's catalog (``SOURCE_LANGUAGE``: the source language).
    """
    gettext = _Gettext(translations)
    return {
        "gettext": gettext,
        "_": gettext,
        "ngettext": _Ngettext(translations),
        "pgettext": _Pgettext(translations),
        "npgettext": _Npgettext(translations),
    }


def source_language_callables() -> dict[str, Any]:
    """The ``gettext`` callables of a package without catalogs: every marked string renders
    as written (the source language), its variables formatted and escaped as when translated."""
    return jinja_callables(SOURCE_LANGUAGE)
