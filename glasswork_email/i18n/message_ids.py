"""The messages a template's rendered parts translate, against those extraction sees (compile side).

Extraction (``i18n.extract``) reads the template files; the parts that are rendered are what
the compiler made of them: the HTML after MJML, and a plain-text part derived from it. Both
parse ``{% trans %}`` with Jinja's ``trimmed`` policy (whitespace around line breaks is
normalised), so reflowing a block's lines cannot change its message id. What the derivation can
still change (an entity decoded, a double space collapsed, markup turned into a link's text and
URL) would make the part look up a message that no catalog has, and silently show the source
language; ``unextracted_messages`` reports each such message at the ``{% trans %}`` it comes from.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from jinja2 import nodes
from jinja2.ext import GETTEXT_FUNCTIONS, extract_from_ast

from glasswork_email.compiler.errors import CompileError, SourceLocation

__all__ = [
    "MessageKey",
    "SourceMessage",
    "messages_of",
    "source_messages",
    "unextracted_messages",
]

MessageKey = tuple[str | None, str | tuple[str, str]]
"""A message as a catalog keys it: its context (``None``: none) and its id (a plural message's
id is its singular and plural source strings)."""
_PART_NAMES = {
    "html": "HTML",
    "text": "plain-text",
    "subject": "subject",
    "preheader": "preheader",
}


@dataclass(frozen=True)
class SourceMessage:
    """A message of a template's source, where extraction finds it.

    Parameters:
        key: the message.
        location: the file and line of its ``{% trans %}`` or ``_()`` call.
    """

    key: MessageKey
    location: SourceLocation


def messages_of(template: nodes.Template) -> list[tuple[int, MessageKey]]:
    """The messages ``template`` translates, each with its line in the parsed source.

    Calls whose message is not a literal string (``_(variable)``) are left out: extraction
    cannot see those either.

    Parameters:
        template: a template parsed with the i18n extension.
    """
    found: list[tuple[int, MessageKey]] = []
    for line, function, message in extract_from_ast(template, GETTEXT_FUNCTIONS):
        strings = message if isinstance(message, tuple) else (message,)
        key = _key(function, strings)
        if key is not None:
            found.append((line, key))
    return found


def _key(function: str, strings: tuple[str | None, ...]) -> MessageKey | None:
    context: str | None = None
    if function in ("pgettext", "npgettext"):
        context, strings = strings[0] if strings else None, strings[1:]
        if context is None:
            return None
    if function in ("ngettext", "npgettext"):
        if len(strings) < 2 or strings[0] is None or strings[1] is None:
            return None
        return context, (strings[0], strings[1])
    if not strings or strings[0] is None:
        return None
    return context, strings[0]


def source_messages(
    template: nodes.Template, locate: Callable[[int], SourceLocation]
) -> list[SourceMessage]:
    """The messages of a parsed template source, located with ``locate`` (line → file:line)."""
    return [SourceMessage(key, locate(line)) for line, key in messages_of(template)]


def unextracted_messages(
    parts: dict[str, nodes.Template], sources: Iterable[SourceMessage], template: SourceLocation
) -> list[CompileError]:
    """An error for each message a rendered part translates that the template's source does not.

    Parameters:
        parts: the parsed rendered parts (``"html"``, ``"text"``, ``"subject"``, ``"preheader"``).
        sources: the messages of the template's files (itself, its layouts and partials).
        template: where to report a message no source message resembles (the template file).
    """
    known = list(sources)
    keys = {message.key for message in known}
    errors: list[CompileError] = []
    reported: set[MessageKey] = set()
    for part, parsed in parts.items():
        for _, key in messages_of(parsed):
            if key in keys or key in reported:
                continue
            reported.add(key)
            closest = _closest(key, known)
            where = closest.location if closest is not None else template
            was = f" (the template's is {_text(closest.key)})" if closest is not None else ""
            errors.append(
                CompileError(
                    where,
                    f"the {_PART_NAMES.get(part, part)} part translates {_text(key)}, which "
                    f"extraction does not see{was}, so no catalog could translate it: keep "
                    "markup, entities and repeated spaces out of {% trans %} blocks"
                    + (", or write a sibling .txt template" if part == "text" else ""),
                )
            )
    return errors


def _closest(key: MessageKey, known: list[SourceMessage]) -> SourceMessage | None:
    wanted = _plain(key)
    candidates = {_plain(message.key): message for message in known if message.key[0] == key[0]}
    match = difflib.get_close_matches(wanted, list(candidates), n=1, cutoff=0.4)
    return candidates[match[0]] if match else None


def _plain(key: MessageKey) -> str:
    return key[1] if isinstance(key[1], str) else key[1][0]


def _text(key: MessageKey) -> str:
    context = f" (context {key[0]!r})" if key[0] is not None else ""
    return f"message {_plain(key)!r}{context}"
