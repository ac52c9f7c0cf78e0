"""Turn ``locales/<locale>.po`` into the generated package's catalogs, checking them (compile side).

For each translated locale, every message the templates use is looked up in its ``.po``: one
that is absent, untranslated or fuzzy is reported at its ``file:line`` (an error when the
project's ``missing_translation`` is ``"fail"``, else a warning, and the email falls back); a
translation whose ``%(name)s`` placeholders differ from the source string's is always an error,
since it would fail or lose a value at render time. What is written: ``_locales/<locale>.mo``
(fuzzy entries left out) and ``_i18n.py``, whose ``Catalogs`` the package's registry uses.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import PYTHON_FORMAT, Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from glasswork_email.compiler.errors import CompileError, SourceLocation
from glasswork_email.i18n.extract import extract_messages
from glasswork_email.i18n.settings import CATALOG_FOLDER, I18N_MODULE, LocaleSettings
from glasswork_email.i18n.tags import to_posix_locale

__all__ = ["CatalogBuild", "build_catalogs", "placeholders"]

_COUNT_PLACEHOLDERS = frozenset({"count", "num"})
"""What a plural form may leave out ("Un fichier" for one file)."""


@dataclass
class CatalogBuild:
    """What the catalogs of a project compile to.

    Parameters:
        files: the files to write in the generated package (relative path → bytes).
        errors: problems that stop the compile.
        warnings: missing or fuzzy translations that fall back.
    """

    files: dict[str, bytes] = field(default_factory=dict)
    errors: list[CompileError] = field(default_factory=list)
    warnings: list[CompileError] = field(default_factory=list)


def placeholders(message: str) -> frozenset[str]:
    """The named ``%(name)s`` placeholders of ``message`` (``%%`` is not one)."""
    return frozenset(name for name, _, kind in PYTHON_FORMAT.findall(message) if kind != "%")


def build_catalogs(templates: Path, settings: LocaleSettings) -> CatalogBuild:
    """Check every catalog of ``templates`` and compile it into the package's files.

    Parameters:
        templates: the templates folder (catalogs in its ``locales/``).
        settings: the project's localisation settings.
    """
    build = CatalogBuild()
    used = extract_messages(templates)
    paths = settings.catalog_paths(templates)
    rtl: list[str] = []
    for tag, path in sorted(paths.items()):
        if _is_rtl(tag):
            rtl.append(tag)
        catalog = _read(path, tag, build)
        if catalog is None:
            continue
        _check(templates, path, tag, used, catalog, settings, build)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        build.files[f"{CATALOG_FOLDER}/{to_posix_locale(tag)}.mo"] = buffer.getvalue()
    if _is_rtl(settings.default_locale):
        rtl.append(settings.default_locale)
    build.files[I18N_MODULE] = _i18n_module(settings.default_locale, sorted(paths), rtl).encode()
    return build


def _read(path: Path, tag: str, build: CatalogBuild) -> Catalog | None:
    if not path.is_file():
        build.errors.append(
            CompileError(
                SourceLocation(path, 1),
                f"no catalog for locale {tag!r}: run `glasswork-email i18n init {tag}`",
            )
        )
        return None
    try:
        with path.open("rb") as file:
            return read_po(file, locale=to_posix_locale(tag), abort_invalid=True)
    except (PoFileError, ValueError, UnknownLocaleError) as error:
        line = getattr(error, "lineno", 1) or 1
        build.errors.append(CompileError(SourceLocation(path, line), f"invalid catalog: {error}"))
        return None


def _check(
    templates: Path,
    path: Path,
    tag: str,
    used: Catalog,
    catalog: Catalog,
    settings: LocaleSettings,
    build: CatalogBuild,
) -> None:
    fallback = settings.missing_translation == "fallback"
    missing = build.warnings if fallback else build.errors
    outcome = "falls back" if fallback else "missing_translation = 'fail'"
    for source in used:
        if not source.id:
            continue
        translated = catalog.get(source.id, source.context)
        where = _po_location(path, translated)
        text = _describe(source)
        if translated is None:
            first = source.locations[0] if source.locations else ("", 1)
            missing.append(
                CompileError(
                    SourceLocation(templates / first[0], first[1]),
                    f"{text} is not in {path} ({tag}; {outcome}): "
                    f"run `glasswork-email i18n update {tag}`",
                )
            )
        elif not _is_translated(translated):
            missing.append(CompileError(where, f"{text} is not translated to {tag} ({outcome})"))
        elif translated.fuzzy:
            missing.append(
                CompileError(
                    where, f"{text} is fuzzy in {tag}: review it and remove the flag ({outcome})"
                )
            )
        else:
            _check_placeholders(where, tag, translated, build)


def _check_placeholders(
    where: SourceLocation, tag: str, message: Message, build: CatalogBuild
) -> None:
    if isinstance(message.id, str):
        expected = placeholders(message.id)
        forms = [(str(message.string), expected, False)]
    else:
        singular, plural = message.id[0], message.id[1]
        expected = placeholders(singular) | placeholders(plural)
        forms = [(str(form), expected, True) for form in message.string or ()]
    for form, wanted, plural_form in forms:
        found = placeholders(form)
        allowed_missing = _COUNT_PLACEHOLDERS if plural_form else frozenset()
        if found - wanted or (wanted - found) - allowed_missing:
            build.errors.append(
                CompileError(
                    where,
                    f"the {tag} translation of {_describe(message)} has placeholders "
                    f"{_names(found)} but the source string has {_names(wanted)}: translate the "
                    "words, keep every %(name)s as it is",
                )
            )
            return


def _is_translated(message: Message) -> bool:
    if isinstance(message.string, str):
        return bool(message.string)
    return bool(message.string) and all(str(form) for form in message.string or ())


def _po_location(path: Path, message: Message | None) -> SourceLocation:
    line = message.lineno if message is not None and message.lineno else 1
    return SourceLocation(path, line)


def _describe(message: Message) -> str:
    text = message.id if isinstance(message.id, str) else message.id[0]
    context = f" (context {message.context!r})" if message.context else ""
    return f"message {text!r}{context}"


def _names(found: frozenset[str]) -> str:
    return "{" + ", ".join(f"%({name})s" for name in sorted(found)) + "}" if found else "none"


def _is_rtl(tag: str) -> bool:
    try:
        return Locale.parse(tag, sep="-").character_order == "right-to-left"
    except (UnknownLocaleError, ValueError):
        return False


def _i18n_module(default: str, locales: list[str], rtl: list[str]) -> str:
    return (
        "# Generated by glasswork-email compile from locales/. Do not edit.\n"
        '"""The message catalogs of this package (``glasswork_email.i18n.catalogs``)."""\n'
        "\n"
        "from glasswork_email.i18n.catalogs import Catalogs\n"
        "\n"
        "catalogs = Catalogs(\n"
        '    package=__name__.rpartition(".")[0],\n'
        f'    default_locale="{default}",\n'
        f"    locales={_tuple_source(locales)},\n"
        f"    rtl_locales={_tuple_source(rtl)},\n"
        ")\n"
        '"""The translations the templates of this package render with, by locale."""\n'
    )


def _tuple_source(tags: list[str]) -> str:
    """``tags`` as a tuple literal in ruff's style (locale tags need no escaping)."""
    quoted = [f'"{tag}"' for tag in tags]
    return f"({quoted[0]},)" if len(quoted) == 1 else f"({', '.join(quoted)})"
