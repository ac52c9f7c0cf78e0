"""Filters, tests and globals by name: unknown ones are errors, custom ones typed by signature.

Jinja compiles a template that uses a filter it does not know into code that fails, and an
unknown global into a value that is undefined when the email is sent. The walk asks here
first: a name the environment lacks is a located compile error saying how to register it;
a name an extension module registered types the values passed to it from its signature.
"""

from __future__ import annotations

import re
from typing import Literal as KindLiteral

from jinja2 import nodes

from glasswork_email.compiler.usage import UseKind
from glasswork_email.compiler.usage_recorder import UsageRecorder
from glasswork_email.compiler.values import Literal, Value

__all__ = ["CallableKind", "custom_evidence", "is_unknown"]

CallableKind = KindLiteral["filter", "test", "global"]

_TABLES: dict[str, str] = {"filter": "filters", "test": "tests", "global": "globals"}
_NEAR: dict[str, str] = {
    "filter": r"\|\s*({name})\b",
    "test": r"\bis\s+(?:not\s+)?({name})\b",
    "global": r"\b({name})\s*\(",
}


def is_unknown(recorder: UsageRecorder, node: nodes.Node, kind: CallableKind, name: str) -> bool:
    """Whether ``name`` is no ``kind`` the environment knows; if so, report it at ``node``."""
    names = recorder.names
    if names is None:
        return False
    known = {"filter": names.filters, "test": names.tests, "global": names.globals}[kind]
    if name in known:
        return False
    table = _TABLES[kind]
    what = "function" if kind == "global" else kind
    recorder.report(
        node,
        f"unknown {what} {name!r}: define it in a module as `{table} = {{{name!r}: {name}}}` "
        "and list that module in `extensions` of `[tool.glasswork-email]` (pyproject.toml), "
        "so both the compiler and the rendering environment know it",
        near=_NEAR[kind].format(name=re.escape(name)),
    )
    return True


def custom_evidence(
    recorder: UsageRecorder,
    node: nodes.Node,
    kind: CallableKind,
    name: str,
    positional: list[Value],
    keywords: dict[str, Value],
) -> tuple[bool, Value]:
    """Type what is passed to the custom ``kind`` ``name`` from its signature.

    Returns whether ``name`` is a custom callable and, if so, what the call evaluates to (its
    return type when it is one the models know). For a filter or test, ``positional[0]`` is
    the value it applies to.
    """
    names = recorder.names
    types = names.custom.get((kind, name)) if names is not None else None
    if types is None:
        return False, None
    detail = f"{kind} {name!r}"
    passed = [
        *zip(positional, types.positional, strict=False),
        *((value, types.keywords.get(key, "")) for key, value in keywords.items()),
    ]
    for value, annotation in passed:
        if annotation:
            recorder.record(value, UseKind.TYPED, node, detail, annotation, types.imports)
    return True, Literal(types.returns) if types.returns else None
