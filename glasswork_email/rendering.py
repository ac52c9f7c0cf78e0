"""The runtime of generated template packages: ``CompiledTemplate``, ``TemplateRegistry``.

A generated package holds, per template, a pydantic context model and Jinja templates that
``glasswork-email compile`` has already turned into Python code (subject, HTML, plain text,
preheader). Rendering imports that code on first use and calls it: no template is lexed or
parsed at run time, nothing from MJML or the compiler is imported.

The Jinja environment is the same at compile and run time (``create_environment``):
autoescape for ``*.html`` templates only, undefined variables are errors, and ``default`` /
``is defined`` treat ``None`` as missing, so an optional context field (``None`` by default)
behaves in the template the way its ``default(...)`` guard says. Custom filters, tests and
globals come from extension modules (``[tool.glasswork-email] extensions``) that the generated
package names; they are registered the same way when compiling and when rendering.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import jinja2
from jinja2 import Environment, StrictUndefined, Template, select_autoescape

from glasswork_email.css_safety import CSS_CHECK_FILTER, css_check
from glasswork_email.url_safety import URL_CHECK_FILTER, url_check

if TYPE_CHECKING:
    # Only the type bound needs pydantic: the compiler imports this module and need not pay
    # for pydantic (the generated models import it themselves).
    from pydantic import BaseModel

    from glasswork_email.i18n.catalogs import Catalogs

__all__ = [
    "CompiledTemplate",
    "ExtensionError",
    "IncompatibleTemplateCodeError",
    "LocaleVariant",
    "RenderedEmail",
    "TemplateNotFoundError",
    "TemplateRegistry",
    "create_environment",
    "extension_callables",
    "register_extensions",
]

logger = logging.getLogger(__name__)

C = TypeVar("C", bound="BaseModel")


@dataclass(frozen=True)
class RenderedEmail:
    """One rendered email: what a transport sends.

    Parameters:
        subject: the subject line, on one line.
        html: the HTML body.
        text: the plain-text body.
        preheader: the preview text shown after the subject in inboxes, when the template has one.
    """

    subject: str
    html: str
    text: str
    preheader: str | None = None


@dataclass(frozen=True)
class LocaleVariant:
    """A per-locale variant of a template (``welcome.de.mjml``): its own precompiled parts,
    rendered for the locales whose fallback chain reaches it first, with the template's context.

    Parameters:
        locale: the BCP 47 tag it is written for (``"de"``; ``"de-AT"`` falls back to it).
        has_preheader: whether it defines a preheader (default ``False``).
    """

    locale: str
    has_preheader: bool = False


_Parts = tuple[Template, Template, Template, Template | None]
"""A template's precompiled subject, HTML, text and preheader."""


class TemplateNotFoundError(KeyError):
    """A template name that the registry does not hold; the message lists the known ones."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        self.known = tuple(known)
        super().__init__(name)

    def __str__(self) -> str:
        return f"unknown email template {self.name!r}; known templates: {', '.join(self.known)}"


class ExtensionError(ImportError):
    """An extension module cannot be imported or its ``filters``/``tests``/``globals`` are not
    dicts of callables; the message names the module and the entry."""


EXTENSION_TABLES = ("filters", "tests", "globals")
"""The module-level dicts an extension module may define (name → callable)."""


def extension_callables(
    module_name: str,
) -> tuple[dict[str, Callable[..., Any]], dict[str, Callable[..., Any]], dict[str, Any]]:
    """The ``filters``, ``tests`` and ``globals`` dicts of extension module ``module_name``.

    Raises ``ExtensionError`` when the module cannot be imported, a table is not a dict, a
    name is not an identifier or an entry is not callable.
    """
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise ExtensionError(
            f"cannot import extension module {module_name!r}: {error}; it must be importable "
            "where the templates are compiled and where emails are rendered"
        ) from None
    tables: list[dict[str, Any]] = []
    for table_name in EXTENSION_TABLES:
        table = getattr(module, table_name, {})
        if not isinstance(table, dict):
            raise ExtensionError(
                f"extension module {module_name!r}: `{table_name}` must be a dict of name → "
                f"callable, not {type(table).__name__}"
            )
        for name, function in table.items():
            if not (isinstance(name, str) and name.isidentifier()) or not callable(function):
                raise ExtensionError(
                    f"extension module {module_name!r}: `{table_name}[{name!r}]` must map an "
                    "identifier to a callable"
                )
        tables.append(table)
    return tables[0], tables[1], tables[2]


def register_extensions(environment: Environment, modules: Sequence[str]) -> None:
    """Register the filters, tests and globals of extension ``modules`` in ``environment``.

    Parameters:
        environment: from ``create_environment``.
        modules: dotted module names, applied in order (a later module wins a name).
    """
    for module_name in modules:
        filters, tests, globals_ = extension_callables(module_name)
        environment.filters.update(filters)
        environment.tests.update(tests)
        environment.globals.update(globals_)


class IncompatibleTemplateCodeError(RuntimeError):
    """Precompiled template code was produced by another Jinja version; recompile the package."""


def _is_missing(value: object) -> bool:
    return value is None or isinstance(value, jinja2.Undefined)


def _default_filter(value: Any, default_value: Any = "", boolean: bool = False) -> Any:
    """Jinja's ``default``, except that ``None`` (an absent optional field) counts as missing."""
    if _is_missing(value) or (boolean and not value):
        return default_value
    return value


def _defined_test(value: Any) -> bool:
    return not _is_missing(value)


def _undefined_test(value: Any) -> bool:
    return _is_missing(value)


def create_environment(*, text: bool = False, extensions: Sequence[str] = ()) -> Environment:
    """The Jinja environment generated templates are compiled with and rendered in.

    Parameters:
        text: lex for plain text (default ``False``): block tags alone on a line leave no blank
            line (``trim_blocks``, ``lstrip_blocks``). Lexing options only matter when compiling.
        extensions: extension modules whose filters, tests and globals to register
            (default none; see ``register_extensions``).
    """
    environment = Environment(
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        trim_blocks=text,
        lstrip_blocks=text,
        keep_trailing_newline=False,
        auto_reload=False,
    )
    environment.filters["default"] = _default_filter
    environment.filters["d"] = _default_filter
    environment.filters[URL_CHECK_FILTER] = url_check
    environment.filters[CSS_CHECK_FILTER] = css_check
    environment.tests["defined"] = _defined_test
    environment.tests["undefined"] = _undefined_test
    register_extensions(environment, extensions)
    # What a localised render sets per email (``Catalogs``); an email of a package without
    # catalogs is written left to right in the default locale.
    environment.globals["text_direction"] = "ltr"
    environment.globals["email_locale"] = "en"
    return environment


def create_compile_environment(*, text: bool = False) -> Environment:
    """``create_environment`` with Jinja's i18n extension, which parses ``{% trans %}``.

    Rendering needs no extension: precompiled code calls the ``gettext`` callables a
    localised render puts in the context (``glasswork_email.i18n.catalogs``).

    Parameters:
        text: as for ``create_environment``.
    """
    environment = create_environment(text=text)
    environment.add_extension("jinja2.ext.i18n")
    # "new style": the gettext call formats the variables itself (and escapes them in HTML);
    # the null translations make gettext, ngettext, pgettext... known globals to the compiler
    environment.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    # message ids with whitespace around line breaks normalised, as extraction reads them
    # (``i18n.extract``): a block's lines can be reflowed, in the source or by the derived
    # plain text, without changing the message it looks up
    environment.policies["ext.i18n.trimmed"] = True
    from glasswork_email.i18n.direct_calls import TranslationCallGenerator
    from glasswork_email.i18n.translators import source_language_callables

    # translation calls made directly in each part's escaping mode, not through context.call,
    # of the callables they are made for (so a template rendered here works as well)
    environment.code_generator_class = TranslationCallGenerator
    environment.globals.update(source_language_callables())
    return environment


_RUNTIME_ENVIRONMENTS: dict[tuple[str, ...], Environment] = {}
"""The environments precompiled templates render in, one per set of extension modules; each
built on the first render that needs it (a warm cache for the Lambda's later invocations)."""


_LOADING = threading.Lock()
"""Held while a template's code and its environment load, so that a cold worker whose threads
render the same template at once loads them once, not once per thread."""


def _runtime_environment(extensions: tuple[str, ...]) -> Environment:
    environment = _RUNTIME_ENVIRONMENTS.get(extensions)
    if environment is None:
        from glasswork_email.i18n.translators import source_language_callables

        environment = create_environment(extensions=extensions)
        # Strings marked for translation (``{% trans %}``, ``_()``) in a package without
        # catalogs render as written; a localised render's callables shadow these.
        environment.globals.update(source_language_callables())
        _RUNTIME_ENVIRONMENTS[extensions] = environment
    return environment


def _jinja_minor_version(version: str) -> str:
    return ".".join(version.split(".")[:2])


class CompiledTemplate(Generic[C]):
    """One email template of a generated package, rendered from precompiled Jinja code.

    Parameters:
        name: the template's name (``"welcome"``).
        context_model: the pydantic model of its context.
        code_package: the dotted package holding the precompiled modules ``<name>__subject``,
            ``<name>__html``, ``<name>__text`` and, when ``has_preheader``, ``<name>__preheader``.
        has_preheader: whether the template defines a preheader (default ``False``).
        jinja_version: the Jinja version the code was compiled with; rendering refuses code from
            another minor version (default: don't check).
        extensions: the extension modules whose filters, tests and globals the code uses
            (default none), imported on first render.
        catalogs: the package's message catalogs when it is localised (default none; the
            generated ``TemplateRegistry`` sets them).
        variants: its per-locale variants (default none), whose code is in ``code_package``
            too (``<name>__<part>__<locale>``, the locale as ``de_AT``).
    """

    def __init__(
        self,
        *,
        name: str,
        context_model: type[C],
        code_package: str,
        has_preheader: bool = False,
        jinja_version: str | None = None,
        extensions: Sequence[str] = (),
        catalogs: Catalogs | None = None,
        variants: Sequence[LocaleVariant] = (),
    ) -> None:
        self.name = name
        self.context_model = context_model
        self.code_package = code_package
        self.has_preheader = has_preheader
        self.jinja_version = jinja_version
        self.extensions = tuple(extensions)
        self.catalogs = catalogs
        self.variants = {variant.locale: variant for variant in variants}
        self._parts: _Parts | None = None
        self._variant_parts: dict[str, _Parts] = {}
        self._variant_for: dict[str, str | None] = {}

    def __repr__(self) -> str:
        variants = f", variants={tuple(self.variants)}" if self.variants else ""
        return (
            f"CompiledTemplate({self.name!r}, context_model={self.context_model.__name__}"
            f"{variants})"
        )

    def render(self, context: C, locale: str | None = None) -> RenderedEmail:
        """Render subject, HTML, text (and preheader) for ``context``.

        Parameters:
            context: an instance of ``context_model``; a plain dict is validated into one.
            locale: the BCP 47 locale to write the email in (default: the project's default);
                see ``glasswork_email.i18n.catalogs`` for how it falls back.
        """
        if not isinstance(context, self.context_model):
            context = self.context_model.model_validate(context)
        catalogs = self.catalogs
        if catalogs is None and locale is None:
            return self._render(vars(context), self._parts or self._load())
        from glasswork_email.i18n.active import use_locale

        if catalogs is None:
            with use_locale(str(locale)) as tag:
                return self._render(vars(context), self._parts_for(tag, tag))
        choice = catalogs.choose(locale)
        variables = {
            **vars(context),
            **catalogs.template_globals(choice.language),
            "email_locale": choice.formatting,
            "text_direction": choice.direction,
        }
        with use_locale(choice.formatting):
            parts = self._parts_for(choice.requested, catalogs.default_locale)
            return self._render(variables, parts)

    def variant_for(self, locale: str, default_locale: str) -> str | None:
        """The locale of the variant an email in ``locale`` is rendered from (the first of its
        fallback chain that has one), or ``None`` for the main template.

        Parameters:
            locale: a normalised BCP 47 tag.
            default_locale: the project's default locale, the chain's end.
        """
        if not self.variants:
            return None
        if locale not in self._variant_for:
            from glasswork_email.i18n.tags import fallback_chain

            chain = fallback_chain(locale, default_locale)
            self._variant_for[locale] = next((tag for tag in chain if tag in self.variants), None)
        return self._variant_for[locale]

    def _parts_for(self, locale: str, default_locale: str) -> _Parts:
        variant = self.variant_for(locale, default_locale)
        if variant is None:
            return self._parts or self._load()
        return self._variant_parts.get(variant) or self._load_variant(variant)

    def _render(self, variables: dict[str, Any], parts: _Parts) -> RenderedEmail:
        subject, html, text, preheader = parts
        # One Jinja context for the HTML part and one shared by the plain parts: creating
        # contexts is a sizeable share of a render, and autoescape is fixed in the code.
        try:
            html_context = html.new_context(variables)
            plain_context = text.new_context(variables)
            plain_text = "".join(text.root_render_func(plain_context))
            while "\n\n\n" in plain_text:  # conditions left out leave blank lines behind
                plain_text = plain_text.replace("\n\n\n", "\n\n")
            return RenderedEmail(
                subject=" ".join("".join(subject.root_render_func(plain_context)).split()),
                html="".join(html.root_render_func(html_context)),
                text=plain_text.strip() + "\n",
                preheader=(
                    " ".join("".join(preheader.root_render_func(plain_context)).split())
                    if preheader is not None
                    else None
                ),
            )
        except Exception:
            # Jinja rewrites the traceback to point at the template's own lines
            html.environment.handle_exception()
            raise  # pragma: no cover - handle_exception always raises

    def _load(self) -> _Parts:
        with _LOADING:
            if self._parts is None:  # not loaded by another thread while this one waited
                self._parts = self._load_parts("", self.has_preheader)
                logger.debug("loaded precompiled email template %s", self.name)
            return self._parts

    def _load_variant(self, locale: str) -> _Parts:
        from glasswork_email.i18n.tags import to_posix_locale

        with _LOADING:
            parts = self._variant_parts.get(locale)
            if parts is None:
                variant = self.variants[locale]
                parts = self._load_parts(f"__{to_posix_locale(locale)}", variant.has_preheader)
                self._variant_parts[locale] = parts
                logger.debug("loaded precompiled email template %s, %s variant", self.name, locale)
            return parts

    def _load_parts(self, suffix: str, has_preheader: bool) -> _Parts:
        if self.jinja_version is not None and _jinja_minor_version(
            self.jinja_version
        ) != _jinja_minor_version(jinja2.__version__):
            raise IncompatibleTemplateCodeError(
                f"template {self.name!r} was compiled with Jinja {self.jinja_version} but Jinja "
                f"{jinja2.__version__} is installed: run `glasswork-email compile` again"
            )
        environment = _runtime_environment(self.extensions)
        subject = self._load_part(environment, "subject", suffix)
        html = self._load_part(environment, "html", suffix)
        text = self._load_part(environment, "text", suffix)
        preheader = self._load_part(environment, "preheader", suffix) if has_preheader else None
        return (subject, html, text, preheader)

    def _load_part(self, environment: Environment, part: str, suffix: str) -> Template:
        module = importlib.import_module(f"{self.code_package}.{self.name}__{part}{suffix}")
        # the environment's globals (``range``, ``namespace``, the extensions' functions)
        return environment.template_class.from_module_dict(
            environment, vars(module), environment.make_globals(None)
        )


class TemplateRegistry:
    """All templates of a generated package, by name; generated ``Templates`` subclass it.

    The subclass declares one typed attribute per template (``welcome:
    CompiledTemplate[WelcomeContext]``), which this constructor sets.

    Parameters:
        templates: the compiled templates, each stored under its ``name``.
        catalogs: the package's message catalogs, given to every template that has none
            (default none: the package is not localised).
    """

    def __init__(self, *templates: CompiledTemplate[Any], catalogs: Catalogs | None = None) -> None:
        self._templates: dict[str, CompiledTemplate[Any]] = {}
        self.catalogs = catalogs
        for template in templates:
            if template.catalogs is None:
                template.catalogs = catalogs
            self._templates[template.name] = template
            setattr(self, template.name, template)

    def get(self, name: str) -> CompiledTemplate[Any]:
        """The template called ``name``; raises ``TemplateNotFoundError`` (a ``KeyError``)."""
        try:
            return self._templates[name]
        except KeyError:
            raise TemplateNotFoundError(name, self._templates) from None

    def names(self) -> tuple[str, ...]:
        """The names of all templates, sorted."""
        return tuple(sorted(self._templates))

    def __contains__(self, name: object) -> bool:
        return name in self._templates

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(self.names())})"
