"""Extract translatable messages from templates and keep ``.pot`` / ``.po`` files (CLI side).

Babel's ``babel.messages`` does the work, reading ``{% trans %}``, ``_()``, ``gettext``,
``ngettext``, ``pgettext`` and ``npgettext`` from every template, partial and layout, with the
file and line of each message, as Jinja's Babel extractor (``jinja2.ext.babel_extract``) finds
them: Jinja's ``extract_from_ast`` over the template parsed with the i18n extension. Two things
that extractor does per file are done once here: one Jinja environment serves every file, and
a file is not parsed at all when its text has nothing a message could come from (the name of a
gettext function before a ``(``, or a ``{% trans`` tag). Never imported by the worker.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Collection, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import read_po, write_po
from jinja2 import Environment, TemplateSyntaxError
from jinja2.ext import InternationalizationExtension, extract_from_ast

from glasswork_email.i18n.settings import LOCALES_FOLDER, POT_NAME
from glasswork_email.i18n.tags import normalize_locale_tag, to_posix_locale

__all__ = ["extract_messages", "init_catalog", "update_catalog", "write_template"]

TEMPLATE_FILE_SUFFIXES = (".mjml", ".html", ".txt")
"""The files messages are extracted from."""
_FIXED_DATE = datetime(2000, 1, 1)
"""The header date of extracted templates: extraction is repeatable, so the files only change
when the messages do."""


def extract_messages(templates: Path) -> Catalog:
    """Every translatable message of the templates under ``templates``, with its locations.

    Parameters:
        templates: the templates folder; locations are relative to it.
    """
    catalog = Catalog(
        project="email templates", creation_date=_FIXED_DATE, fuzzy=False, charset="utf-8"
    )
    files = sorted(
        path
        for path in templates.rglob("*")
        if path.suffix in TEMPLATE_FILE_SUFFIXES and path.is_file()
    )
    for path in files:
        relative = path.relative_to(templates).as_posix()
        with path.open("rb") as file:
            for line, message, comments, context in extract(_JINJA_METHOD, file):
                catalog.add(
                    message, None, [(relative, line)], auto_comments=comments, context=context
                )
    return catalog


def _jinja_messages(
    file: IO[bytes], keywords: Collection[str], comment_tags: Collection[str], options: Any
) -> Iterator[tuple[int, str, str | tuple[str | None, ...] | None, list[str]]]:
    """Babel's extraction method for one template: ``(line, function, message, comments)``
    for each gettext call (no translator comments are asked for); a template that does not
    parse has none, as with Jinja's extractor."""
    source = file.read().decode("utf-8")
    if not _may_hold_messages(source, tuple(keywords)):
        return
    try:
        parsed = _extraction_environment().parse(source)
    except TemplateSyntaxError:
        return
    for line, function, message in extract_from_ast(parsed, tuple(keywords)):
        yield line, function, message, []


def _may_hold_messages(source: str, keywords: tuple[str, ...]) -> bool:
    """Whether ``source`` has a gettext function's name before a ``(`` (white space between),
    or a ``{% trans`` tag: a template without either has no message to extract, since messages
    only come from calls to those functions, which ``{% trans %}`` blocks become."""
    return _message_words(keywords).search(source) is not None


@functools.cache
def _message_words(keywords: tuple[str, ...]) -> re.Pattern[str]:
    calls = "|".join(re.escape(keyword) for keyword in sorted(keywords, key=len, reverse=True))
    # a block tag opens with "{%", maybe "-" or "+", then white space; a name token never
    # stops before a word character, so "trans" then one is another name ("transport")
    return re.compile(rf"(?:{calls})\s*\(|\{{%[-+]?\s*trans\b")


_JINJA_METHOD: Any = _jinja_messages
"""``_jinja_messages`` as Babel takes it: Babel annotates an extraction method as yielding what
``extract`` yields, but calls it for ``(line, function, messages, comments)``, which it yields."""


@functools.cache
def _extraction_environment() -> Environment:
    """The environment Jinja's Babel extractor would make for our options: Jinja's default
    syntax, the i18n extension with new-style gettext and trimmed messages."""
    environment = Environment(extensions=[InternationalizationExtension], cache_size=0)
    environment.policies["ext.i18n.trimmed"] = True
    environment.newstyle_gettext = True  # type: ignore[attr-defined]
    return environment


def write_template(templates: Path) -> Path:
    """Extract the messages into ``<templates>/locales/messages.pot``; returns its path."""
    catalog = extract_messages(templates)
    path = templates / LOCALES_FOLDER / POT_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(path, catalog)
    return path


def init_catalog(templates: Path, locale: str) -> Path:
    """Create ``<templates>/locales/<locale>.po`` from the extracted messages; returns its path.

    Parameters:
        templates: the templates folder.
        locale: a BCP 47 tag; ``FileExistsError`` when its catalog exists (use ``update``).
    """
    tag = normalize_locale_tag(locale)
    path = templates / LOCALES_FOLDER / f"{tag}.po"
    if path.exists():
        raise FileExistsError(f"{path} exists: run `glasswork-email i18n update` instead")
    template = extract_messages(templates)
    buffer = io.BytesIO()
    write_po(buffer, template)
    buffer.seek(0)
    catalog = read_po(buffer, locale=to_posix_locale(tag))
    catalog.locale_identifier  # noqa: B018 - Babel fills the plural forms from the locale
    catalog.revision_date = _FIXED_DATE
    catalog.fuzzy = False
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(path, catalog)
    return path


def update_catalog(templates: Path, locale: str) -> tuple[Path, int, int]:
    """Merge newly extracted messages into ``<locale>.po``; returns its path, the number of
    new messages and the number of obsolete ones (kept, commented out, for translators).

    Babel marks a new message that resembles an old one fuzzy, with the old translation.

    Parameters:
        templates: the templates folder.
        locale: a BCP 47 tag; ``FileNotFoundError`` when it has no catalog (use ``init``).
    """
    tag = normalize_locale_tag(locale)
    path = templates / LOCALES_FOLDER / f"{tag}.po"
    with path.open("rb") as file:
        catalog = read_po(file, locale=to_posix_locale(tag))
    known = {_key(message.id) for message in catalog if message.id}
    template = extract_messages(templates)
    catalog.update(template, update_header_comment=False)
    added = sum(1 for message in template if message.id and _key(message.id) not in known)
    _write(path, catalog)
    return path, added, len(catalog.obsolete)


def _key(message_id: str | tuple[str, ...] | list[str]) -> str | tuple[str, ...]:
    return message_id if isinstance(message_id, str) else tuple(message_id)


def _write(path: Path, catalog: Catalog) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True)
    path.write_bytes(buffer.getvalue())
