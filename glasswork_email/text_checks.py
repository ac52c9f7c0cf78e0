"""Text that must not reach a message: lone surrogates (unencodable) and bidi override controls.

A lone surrogate (``"\\udcff"``, which a JavaScript producer can emit) is a ``str`` Python holds
but no encoder writes: it would fail when the message is encoded, on every retry. A
bidirectional embedding, override or isolate control (U+202A-U+202E, U+2066-U+2069) in a
subject or display name reorders what the reader sees ("invoice_fdp.exe" shown as
"invoice_exe.pdf"). Stdlib only: this module is on the worker's import path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = [
    "BIDI_CONTROLS",
    "find_bidi_control",
    "find_lone_surrogate",
    "lone_surrogate_paths",
    "strip_bidi_controls",
]

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""The bidirectional embedding, override and isolate controls (LRE, RLE, PDF, LRO, RLO, LRI,
RLI, FSI, PDI); the plain marks LRM/RLM are left alone, right-to-left text needs them."""

_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")


def find_lone_surrogate(text: str) -> int | None:
    """The index of the first lone surrogate in ``text``, or ``None`` when it encodes."""
    # UTF-8 refuses exactly the surrogates and says where the first one is: no regex to
    # compile at import (a third of a millisecond), and ASCII text is not even encoded.
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return error.start
    return None


def find_bidi_control(text: str) -> int | None:
    """The index of the first bidi embedding/override/isolate control in ``text``, or ``None``."""
    match = _BIDI.search(text)
    return None if match is None else match.start()


def strip_bidi_controls(text: str) -> str:
    """``text`` without bidi embedding, override and isolate controls."""
    return _BIDI.sub("", text) if _BIDI.search(text) else text


def lone_surrogate_paths(value: object, path: str = "") -> Iterator[str]:
    """The paths (``context.items[2].name``, ``tags['a']``) of strings in ``value`` that hold a
    lone surrogate, walking pydantic models, mappings and sequences."""
    if isinstance(value, str):
        if find_lone_surrogate(value) is not None:
            yield path or "<value>"
        return
    fields: Any = getattr(type(value), "model_fields", None)
    if isinstance(fields, Mapping):
        for name in fields:
            yield from lone_surrogate_paths(
                getattr(value, name), f"{path}.{name}" if path else name
            )
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{path}[{key!r}]"
            if isinstance(key, str) and find_lone_surrogate(key) is not None:
                yield f"{where} (the key)"
            yield from lone_surrogate_paths(item, where)
        return
    if isinstance(value, list | tuple | set | frozenset):
        for position, item in enumerate(value):
            yield from lone_surrogate_paths(item, f"{path}[{position}]")
