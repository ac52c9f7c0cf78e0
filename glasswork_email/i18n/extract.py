"""Extract translatable messages from templates and keep ``.pot`` / ``.po`` files (CLI side).

Babel's ``babel.messages`` does the work: Jinja's own extractor reads ``{% trans %}``, ``_()``,
``gettext``, ``ngettext``, ``pgettext`` and ``npgettext`` from every template, partial and
layout, with the file and line of each message. Never imported by the worker.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from glasswork_email.i18n.settings import LOCALES_FOLDER, POT_NAME
from glasswork_email.i18n.tags import normalize_locale_tag, to_posix_locale

__all__ = ["extract_messages", "init_catalog", "update_catalog", "write_template"]

TEMPLATE_FILE_SUFFIXES = (".mjml", ".html", ".txt")
"""The files messages are extracted from."""
_JINJA_OPTIONS = {"extensions": "", "newstyle_gettext": "true", "trimmed": "true"}
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
        for line, message, comments, context in extract_from_file(
            "jinja2.ext:babel_extract", path, options=_JINJA_OPTIONS
        ):
            catalog.add(message, None, [(relative, line)], auto_comments=comments, context=context)
    return catalog


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
