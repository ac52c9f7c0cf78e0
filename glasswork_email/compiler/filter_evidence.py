"""What Jinja filters and ``is`` tests tell about the value they apply to.

``price | round`` makes ``price`` a decimal number, ``items | join`` makes ``items`` a list,
``name | upper`` a string, ``x | default(...)`` optional, ``n is odd`` an integer. Each
function takes the already evaluated value and arguments, records the evidence and returns
what the expression is.
"""

from __future__ import annotations

import re
from dataclasses import replace

from jinja2 import nodes

from glasswork_email.compiler.operator_evidence import record_literal_hint
from glasswork_email.compiler.usage import ELEMENT, UseKind
from glasswork_email.compiler.usage_recorder import UsageRecorder
from glasswork_email.compiler.values import DictItems, Literal, Ref, Sequence_, Value

__all__ = ["filter_argument_evidence", "filter_evidence", "is_test_evidence"]

_STRING_FILTERS = frozenset(
    [
        "capitalize",
        "center",
        "escape",
        "e",
        "forceescape",
        "indent",
        "lower",
        "replace",
        "safe",
        "striptags",
        "title",
        "trim",
        "truncate",
        "upper",
        "urlencode",
        "urlize",
        "wordcount",
        "wordwrap",
        "xmlattr",
    ]
)
_LIST_FILTERS = frozenset(
    [
        "batch",
        "list",
        "reject",
        "rejectattr",
        "reverse",
        "select",
        "selectattr",
        "slice",
        "sort",
        "unique",
    ]
)
_FORMAT_SPEC = re.compile(r"%(?:\([^)]*\))?[-+ #0]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa%])")


_ARGUMENT_KINDS: dict[str, tuple[tuple[str, UseKind], ...]] = {
    "round": (("precision", UseKind.INT), ("method", UseKind.STRING)),
    "truncate": (
        ("length", UseKind.INT),
        ("killwords", UseKind.TEST),
        ("end", UseKind.STRING),
        ("leeway", UseKind.INT),
    ),
    "join": (("d", UseKind.STRING), ("attribute", UseKind.STRING)),
    "indent": (("width", UseKind.INT),),
    "center": (("width", UseKind.INT),),
    "wordwrap": (("width", UseKind.INT), ("break_long_words", UseKind.TEST)),
    "batch": (("linecount", UseKind.INT),),
    "slice": (("slices", UseKind.INT),),
    "replace": (("old", UseKind.STRING), ("new", UseKind.STRING), ("count", UseKind.INT)),
    "filesizeformat": (("binary", UseKind.TEST),),
    "urlize": (("trim_url_limit", UseKind.INT),),
}
"""What Jinja's filters do with their arguments, by parameter position and name."""


def filter_argument_evidence(
    recorder: UsageRecorder,
    node: nodes.Filter,
    arguments: list[Value],
    keywords: dict[str, Value],
) -> None:
    """Record what a built-in filter makes its arguments (``round(n)``: ``n`` an integer)."""
    parameters = _ARGUMENT_KINDS.get(node.name, ())
    passed = list(zip(arguments, parameters, strict=False))
    named = dict(parameters)
    passed += [(value, (key, named[key])) for key, value in keywords.items() if key in named]
    for value, (parameter, kind) in passed:
        recorder.record(value, kind, node, f"{node.name}({parameter})")


def filter_evidence(
    recorder: UsageRecorder, node: nodes.Filter, base: Value, arguments: list[Value]
) -> Value:
    """Record what ``base | name(arguments)`` makes ``base``; return what the result is."""
    name = node.name
    attribute = _keyword(node, "attribute")
    element = base.extended(ELEMENT, recorder.is_guarded(base)) if isinstance(base, Ref) else None
    if name in ("default", "d"):
        if isinstance(base, Ref):
            guarded = replace(base, guarded=True)
            recorder.record(guarded, UseKind.GUARD, node, "default")
            if arguments:
                record_literal_hint(recorder, guarded, arguments[0], node, "fallback is")
                if isinstance(arguments[0], Ref):
                    recorder.fallbacks.append((arguments[0], guarded))
            return guarded
        return base
    if name in ("round", "abs", "filesizeformat"):
        recorder.record(base, UseKind.FLOAT if name == "round" else UseKind.NUMBER, node, name)
        return Literal("float")
    if name == "format":
        if isinstance(base, Literal):
            conversions = _FORMAT_SPEC.findall(_format_string(node))
            conversions = [c for c in conversions if c != "%"]
            for value, conversion in zip(arguments, conversions, strict=False):
                recorder.record(value, _conversion_kind(conversion), node, f"'%{conversion}'")
        else:
            recorder.record(base, UseKind.STRING, node, name)
        return Literal("str")
    if name in ("int", "float", "string", "bool", "tojson", "pprint"):
        recorder.record(base, UseKind.CONVERTED, node, name)
        return Literal("str" if name in ("string", "tojson", "pprint") else name)
    if name in ("length", "count"):
        recorder.record(base, UseKind.SIZED, node, name)
        return Literal("int")
    if name == "sum":
        recorder.record(base, UseKind.ITERATE, node, name)
        target = element.extended(attribute, False) if element and attribute else element
        recorder.record(target, UseKind.NUMBER, node, name)
        return Literal("float")
    if name == "join":
        recorder.record(base, UseKind.ITERATE, node, name)
        target = element.extended(attribute, False) if element and attribute else element
        recorder.record(target, UseKind.OUTPUT, node, name)
        return Literal("str")
    if name == "map":
        recorder.record(base, UseKind.ITERATE, node, name)
        if element is not None and attribute:
            return Sequence_(element.extended(attribute, False))
        return Sequence_(element) if element is not None else None
    if name in ("first", "last", "random"):
        recorder.record(base, UseKind.ITERATE, node, name)
        return element
    if name in _LIST_FILTERS:
        recorder.record(base, UseKind.ITERATE, node, name)
        if name in ("selectattr", "rejectattr") and element and arguments:
            first = node.args[0]
            if isinstance(first, nodes.Const) and isinstance(first.value, str):
                recorder.record(element.extended(first.value, False), UseKind.TEST, node, name)
        return base
    if name in ("dictsort", "items"):
        recorder.record(base, UseKind.MAPPING, node, name)
        return DictItems(base) if isinstance(base, Ref) else None
    if name in _STRING_FILTERS:
        recorder.record(base, UseKind.STRING, node, name)
        return Literal("str")
    recorder.record(base, UseKind.OUTPUT, node, name)
    return None


def is_test_evidence(
    recorder: UsageRecorder, node: nodes.Test, value: Value, arguments: list[Value]
) -> None:
    """Record what ``value is name(arguments)`` (outside an ``if`` condition) makes ``value``
    and its arguments (``n is divisibleby(step)``: both integers)."""
    if node.name in ("defined", "undefined", "none"):
        recorder.record(value, UseKind.GUARD, node, f"is {node.name}")
    elif node.name in ("odd", "even", "divisibleby"):
        recorder.record(value, UseKind.INT, node, f"is {node.name}")
    if node.name == "divisibleby" and arguments:
        recorder.record(arguments[0], UseKind.INT, node, "divisibleby(num)")


def _keyword(node: nodes.Filter, name: str) -> str | None:
    for keyword in node.kwargs:
        if keyword.key == name and isinstance(keyword.value, nodes.Const):
            return str(keyword.value.value)
    return None


def _format_string(node: nodes.Filter) -> str:
    return node.node.value if isinstance(node.node, nodes.Const) else ""


def _conversion_kind(conversion: str) -> UseKind:
    if conversion in "diouxXc":
        return UseKind.INT
    if conversion in "eEfFgG":
        return UseKind.FLOAT
    return UseKind.OUTPUT
