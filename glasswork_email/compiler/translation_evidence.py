"""What translation calls tell about their values: ``{% trans %}`` and ``_()``, ``ngettext``.

Jinja's i18n extension turns ``{% trans user=user.name %}Hi {{ user }}{% endtrans %}`` into
``gettext("Hi %(user)s", user=user.name)``: every keyword is printed into the message, and the
count of ``ngettext`` / ``npgettext`` (``{% trans count=n %}``) is an integer.
"""

from __future__ import annotations

from jinja2 import nodes

from glasswork_email.compiler.usage import UseKind
from glasswork_email.compiler.usage_recorder import UsageRecorder
from glasswork_email.compiler.values import Literal, Value

__all__ = ["TRANSLATION_CALLS", "translation_evidence"]

TRANSLATION_CALLS = frozenset({"_", "gettext", "ngettext", "pgettext", "npgettext"})
"""The names a localised render provides for translating (``glasswork_email.i18n.catalogs``)."""
_COUNT_POSITION = {"ngettext": 2, "npgettext": 3}


def translation_evidence(
    recorder: UsageRecorder,
    node: nodes.Call,
    name: str,
    positional: list[Value],
    keywords: dict[str, Value],
) -> Value:
    """Record the uses of the arguments of ``name(...)``; the result is a string."""
    count_position = _COUNT_POSITION.get(name)
    for position, value in enumerate(positional):
        if position == count_position:
            recorder.record(value, UseKind.INT, node, f"{name} count")
    for key, value in keywords.items():
        recorder.record(value, UseKind.INT if key == "count" else UseKind.OUTPUT, node, name)
    return Literal("str")
