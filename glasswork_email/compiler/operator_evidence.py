"""What operators tell about their operands: arithmetic, comparisons, literals they meet.

``total * 1.2`` makes ``total`` a decimal number, ``count > 1`` an integer, ``a ~ "x"`` or
``name == "x"`` a string, ``x in items`` makes ``items`` a list. Each function takes the
already evaluated operands, records the evidence and returns what the expression is.
"""

from __future__ import annotations

from jinja2 import nodes

from glasswork_email.compiler.usage import ELEMENT, UseKind
from glasswork_email.compiler.usage_recorder import UsageRecorder
from glasswork_email.compiler.values import Literal, Ref, Value

__all__ = ["arithmetic_evidence", "comparison_evidence", "record_literal_hint"]

_LITERAL_KINDS = {"str": UseKind.STRING, "int": UseKind.INT, "float": UseKind.FLOAT}


def record_literal_hint(
    recorder: UsageRecorder, ref: Ref, other: Value, node: nodes.Node, why: str = "compared with"
) -> None:
    """Record ``ref`` as a string / integer / decimal when ``other`` is a literal of that type.

    Parameters:
        why: how the two meet, for ``--explain``; default ``"compared with"``.
    """
    if isinstance(other, Literal):
        kind = _LITERAL_KINDS.get(other.type)
        if kind is not None:
            recorder.record(ref, kind, node, f"{why} a {other.type}")


def arithmetic_evidence(
    recorder: UsageRecorder, node: nodes.BinExpr, left: Value, right: Value
) -> Value:
    """Record what ``left <operator> right`` makes its operands; return the result's type."""
    literal_types = {value.type for value in (left, right) if isinstance(value, Literal)}
    if isinstance(node, nodes.Add) and "str" in literal_types:
        for value in (left, right):
            recorder.record(value, UseKind.STRING, node, "string concatenation")
        return Literal("str")
    if isinstance(node, nodes.Mod) and isinstance(left, Literal) and left.type == "str":
        recorder.record(right, UseKind.OUTPUT, node, "% formatting")
        return Literal("str")
    if isinstance(node, nodes.Mul) and "str" in literal_types:
        for value in (left, right):
            recorder.record(value, UseKind.INT, node, "repeat count")
        return Literal("str")
    if isinstance(node, (nodes.Div, nodes.Pow)) or "float" in literal_types:
        kind = UseKind.FLOAT
    elif "int" in literal_types:
        kind = UseKind.INT
    else:
        kind = UseKind.NUMBER
    detail = f"operator {node.operator}"
    for value in (left, right):
        recorder.record(value, kind, node, detail)
    return Literal("float" if kind is not UseKind.INT else "int")


def comparison_evidence(
    recorder: UsageRecorder, node: nodes.Compare, operands: list[Value]
) -> Value:
    """Record what a comparison chain makes its ``operands`` (``expr`` then each ``ops``)."""
    for index, operand in enumerate(node.ops):
        left, right = operands[index], operands[index + 1]
        if operand.op in ("lt", "gt", "lteq", "gteq"):
            literal = next((v for v in (left, right) if isinstance(v, Literal)), None)
            kind = UseKind.FLOAT if literal and literal.type == "float" else UseKind.NUMBER
            if literal and literal.type == "int":
                kind = UseKind.INT
            for value in (left, right):
                recorder.record(value, kind, node, "ordered comparison")
        elif operand.op in ("eq", "ne"):
            if isinstance(left, Ref):
                record_literal_hint(recorder, left, right, node)
            if isinstance(right, Ref):
                record_literal_hint(recorder, right, left, node)
        elif operand.op in ("in", "notin"):
            recorder.record(right, UseKind.ITERATE, node, "membership")
            if isinstance(right, Ref) and isinstance(left, Literal) and left.type == "str":
                element = right.extended(ELEMENT, recorder.is_guarded(right))
                recorder.record(element, UseKind.STRING, node, "membership")
            if isinstance(left, Ref) and isinstance(right, Literal) and right.type == "str":
                recorder.record(left, UseKind.STRING, node, "substring test")
    return Literal("bool")
