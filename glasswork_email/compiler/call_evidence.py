"""What calls tell about the values they involve: methods called on a path, ``range(n)``.

``name.upper()`` makes ``name`` a string, ``prices.items()`` a mapping, ``range(count)`` an
integer. Macro calls are not here: applying a macro re-records its parameters' uses, which is
part of the walk (``expressions``).
"""

from __future__ import annotations

from jinja2 import nodes

from glasswork_email.compiler.usage import ELEMENT, VALUE, UseKind
from glasswork_email.compiler.usage_recorder import UsageRecorder
from glasswork_email.compiler.values import DictItems, Literal, Ref, Sequence_, Value

__all__ = ["method_evidence", "range_evidence"]

_STRING_METHODS = frozenset(
    [
        "capitalize",
        "center",
        "count",
        "endswith",
        "find",
        "format",
        "index",
        "isdigit",
        "join",
        "ljust",
        "lower",
        "lstrip",
        "partition",
        "replace",
        "rjust",
        "rsplit",
        "rstrip",
        "split",
        "splitlines",
        "startswith",
        "strip",
        "title",
        "upper",
    ]
)


def method_evidence(
    recorder: UsageRecorder,
    node: nodes.Call,
    owner: Value,
    method: str,
    arguments: list[Value] | None = None,
) -> Value:
    """Record what calling ``owner.method(arguments)`` makes ``owner`` (and, for a string
    literal's ``join``, its argument a list); return what the result is."""
    if isinstance(owner, Literal) and owner.type == "str" and method in _STRING_METHODS:
        if method == "join" and arguments:
            _joined(recorder, node, arguments[0])
        return Literal("str")
    if not isinstance(owner, Ref):
        return None
    if method in _STRING_METHODS:
        recorder.record(owner, UseKind.STRING, node, f".{method}()")
        return Literal("str")
    if method == "items":
        recorder.record(owner, UseKind.MAPPING, node, ".items()")
        return DictItems(owner)
    if method == "values":
        recorder.record(owner, UseKind.MAPPING, node, ".values()")
        return Sequence_(owner.extended(VALUE, False))
    if method == "keys":
        recorder.record(owner, UseKind.MAPPING, node, ".keys()")
        return None
    recorder.record(owner, UseKind.METHOD, node, f".{method}()")
    return None


def range_evidence(recorder: UsageRecorder, node: nodes.Call, arguments: list[Value]) -> None:
    """Record the arguments of ``range(...)`` as integers."""
    for value in arguments:
        recorder.record(value, UseKind.INT, node, "range")


def _joined(recorder: UsageRecorder, node: nodes.Call, value: Value) -> None:
    """``", ".join(names)``: ``names`` is a list of printed elements."""
    recorder.record(value, UseKind.ITERATE, node, "str.join()")
    if isinstance(value, Ref):
        element = value.extended(ELEMENT, recorder.is_guarded(value))
        recorder.record(element, UseKind.OUTPUT, node, "str.join()")
