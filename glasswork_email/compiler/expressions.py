"""Evaluate template expressions and conditions, recording the uses they make of the context.

``ExpressionEvaluator.expression`` turns a Jinja expression node into a ``Value`` (a context
path, a literal of known type, nothing known) and records each use along the way; what a
filter, operator or method call means for its operands is decided in ``filter_evidence``,
``operator_evidence`` and ``call_evidence``. ``ExpressionEvaluator.test`` evaluates a
condition and returns the paths it guards, which is what makes fields optional.
"""

from __future__ import annotations

from dataclasses import replace

from jinja2 import nodes

from glasswork_email.compiler.call_evidence import method_evidence, range_evidence
from glasswork_email.compiler.custom_evidence import custom_evidence, is_unknown
from glasswork_email.compiler.filter_evidence import (
    filter_argument_evidence,
    filter_evidence,
    is_test_evidence,
)
from glasswork_email.compiler.operator_evidence import (
    arithmetic_evidence,
    comparison_evidence,
    record_literal_hint,
)
from glasswork_email.compiler.translation_evidence import TRANSLATION_CALLS, translation_evidence
from glasswork_email.compiler.usage import ELEMENT, UseKind
from glasswork_email.compiler.usage_recorder import UsageRecorder
from glasswork_email.compiler.values import GuardKey, Literal, MacroValue, Ref, Value, macro_symbol

__all__ = ["ExpressionEvaluator"]

_GLOBAL_NAMES = frozenset(
    {
        "range",
        "dict",
        "lipsum",
        "cycler",
        "joiner",
        "namespace",
        "super",
        "caller",
        "varargs",
        "kwargs",
        "loop",
        "self",
    }
    | TRANSLATION_CALLS
    | {"email_locale", "text_direction"}
)
"""Names Jinja itself provides in a template: never context fields."""
_SPECIAL_CALLS = frozenset({"super", "caller", "self"})
"""Names a template may call that are no global of the environment."""


class ExpressionEvaluator(UsageRecorder):
    """Evaluates expressions and conditions of parsed templates, recording their uses.

    Parameters:
        locate: maps a line of the parsed source to its original file and line.
    """

    def test(self, node: nodes.Node) -> tuple[frozenset[GuardKey], frozenset[GuardKey]]:
        """Evaluate a condition: record its uses, return the paths it guards when true / false."""
        if isinstance(node, nodes.Not):
            positive, negative = self.test(node.node)
            return negative, positive
        if isinstance(node, nodes.And):
            left_positive, _ = self.test(node.left)
            with self.guarded(left_positive):
                right_positive, _ = self.test(node.right)
            return left_positive | right_positive, frozenset()
        if isinstance(node, nodes.Or):
            _, left_negative = self.test(node.left)
            _, right_negative = self.test(node.right)
            return frozenset(), left_negative | right_negative
        if isinstance(node, nodes.Test) and node.name in ("defined", "undefined", "none"):
            value = self.expression(node.node)
            if not isinstance(value, Ref):
                return frozenset(), frozenset()
            self.record(value, UseKind.GUARD, node, f"is {node.name}")
            keys = frozenset({value.key})
            return (keys, frozenset()) if node.name == "defined" else (frozenset(), keys)
        value = self.expression(node)
        if isinstance(value, Ref):
            self.record(value, UseKind.TEST, node)
            return frozenset({value.key}), frozenset()
        return frozenset(), frozenset()

    def expression(self, node: nodes.Node) -> Value:
        """Evaluate ``node``: record the uses it makes, return what it is."""
        if isinstance(node, nodes.Name):
            found, value = self.lookup(node.name)
            if found:
                return value
            if node.name in _GLOBAL_NAMES or (
                self.names is not None and node.name in self.names.globals
            ):
                return None
            ref = Ref(node.name)
            return replace(ref, guarded=self.is_guarded(ref))
        if isinstance(node, nodes.Const):
            return Literal(type(node.value).__name__ if node.value is not None else "None")
        if isinstance(node, nodes.TemplateData):
            return Literal("str")
        if isinstance(node, nodes.Getattr):
            return self._attribute(node, self.expression(node.node), node.attr)
        if isinstance(node, nodes.Getitem):
            return self._item(node)
        if isinstance(node, nodes.And):
            self.test(node.left)
            return self.expression(node.right)
        if isinstance(node, nodes.Or):
            left = self.expression(node.left)
            right = self.expression(node.right)
            if isinstance(left, Ref):
                guarded = replace(left, guarded=True)
                self.record(guarded, UseKind.GUARD, node, "or")
                record_literal_hint(self, guarded, right, node, "fallback is")
                return guarded
            return right
        if isinstance(node, nodes.BinExpr):
            left = self.expression(node.left)
            right = self.expression(node.right)
            return arithmetic_evidence(self, node, left, right)
        if isinstance(node, nodes.Concat):
            for child in node.nodes:
                self.record(self.expression(child), UseKind.OUTPUT, child)
            return Literal("str")
        if isinstance(node, nodes.Not):
            self.test(node.node)
            return Literal("bool")
        if isinstance(node, (nodes.Neg, nodes.Pos)):
            self.record(self.expression(node.node), UseKind.NUMBER, node)
            return Literal("float")
        if isinstance(node, nodes.Compare):
            operands = [self.expression(node.expr)] + [self.expression(op.expr) for op in node.ops]
            return comparison_evidence(self, node, operands)
        if isinstance(node, nodes.CondExpr):
            positive, negative = self.test(node.test)
            with self.guarded(positive):
                first = self.expression(node.expr1)
            with self.guarded(negative):
                second = self.expression(node.expr2) if node.expr2 is not None else None
            self.record(first, UseKind.OUTPUT, node.expr1)
            if node.expr2 is not None:
                self.record(second, UseKind.OUTPUT, node.expr2)
            return Literal("str")
        if isinstance(node, nodes.Filter):
            base = self.expression(node.node) if node.node is not None else None
            arguments, keywords = self._arguments(node, f"filter {node.name!r}")
            if is_unknown(self, node, "filter", node.name):
                return None
            custom, result = custom_evidence(
                self, node, "filter", node.name, [base, *arguments], keywords
            )
            if custom:
                return result
            filter_argument_evidence(self, node, arguments, keywords)
            return filter_evidence(self, node, base, arguments)
        if isinstance(node, nodes.Test):
            value = self.expression(node.node)
            arguments, keywords = self._arguments(node, f"test {node.name!r}")
            if is_unknown(self, node, "test", node.name):
                return Literal("bool")
            custom, _ = custom_evidence(
                self, node, "test", node.name, [value, *arguments], keywords
            )
            if not custom:
                is_test_evidence(self, node, value, arguments)
            return Literal("bool")
        if isinstance(node, nodes.Call):
            return self._call(node)
        if isinstance(node, (nodes.MarkSafe, nodes.MarkSafeIfAutoescape)):
            return self.expression(node.expr)
        for inner in node.iter_child_nodes():
            self.expression(inner)
        return None

    def _attribute(self, node: nodes.Node, base: Value, name: str) -> Value:
        if isinstance(base, Ref):
            self.record(base, UseKind.ATTRIBUTE, node)
            ref = base.extended(name, False)
            return replace(ref, guarded=self.is_guarded(ref))
        return None

    def _item(self, node: nodes.Getitem) -> Value:
        base = self.expression(node.node)
        if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            return self._attribute(node, base, node.arg.value)
        if isinstance(node.arg, nodes.Slice):
            self.expression(node.arg)
            self.record(base, UseKind.SIZED, node, "sliced")
            return base
        index = self.expression(node.arg)
        self.record(index, UseKind.INT, node.arg, "index")
        if isinstance(base, Ref):
            self.record(base, UseKind.ITERATE, node, "indexed")
            return base.extended(ELEMENT, self.is_guarded(base))
        return None

    def _arguments(
        self, node: nodes.Filter | nodes.Test | nodes.Call, callee: str | None
    ) -> tuple[list[Value], dict[str, Value]]:
        """Evaluate the arguments of a call, filter or test, each recorded as passed to
        ``callee`` (not when ``None``: a macro's own uses say what they are); returns the
        positional values and the keyword values."""
        values = [self.expression(arg) for arg in node.args]
        keywords = {str(keyword.key): self.expression(keyword.value) for keyword in node.kwargs}
        dynamic = [d for d in (node.dyn_args, node.dyn_kwargs) if d is not None]
        passed = [
            *zip(values, node.args, strict=True),
            *zip(keywords.values(), (k.value for k in node.kwargs), strict=True),
            *((self.expression(d), d) for d in dynamic),
        ]
        if callee is not None:
            for value, argument in passed:
                self.record(value, UseKind.PASSED, argument, callee)
        return values, keywords

    def _call(self, node: nodes.Call) -> Value:
        callee = node.node
        if isinstance(callee, nodes.Getattr):
            owner = self.expression(callee.node)
            arguments, _ = self._arguments(node, f".{callee.attr}()")
            return method_evidence(self, node, owner, callee.attr, arguments)
        if isinstance(callee, nodes.Name):
            local, called = self.lookup(callee.name)
            if not local and callee.name not in _SPECIAL_CALLS:
                arguments, keywords = self._arguments(node, f"{callee.name}()")
                if is_unknown(self, node, "global", callee.name):
                    return None
                if callee.name in TRANSLATION_CALLS:
                    return translation_evidence(self, node, callee.name, arguments, keywords)
                custom, result = custom_evidence(
                    self, node, "global", callee.name, arguments, keywords
                )
                if not custom and callee.name == "range":
                    range_evidence(self, node, arguments)
                return result
        else:
            called = self.expression(callee)
        macro = called if isinstance(called, MacroValue) else None
        arguments, keywords = self._arguments(node, None if macro else "a call")
        if isinstance(called, MacroValue):
            self._apply_macro(called, arguments, keywords)
        return None

    def _apply_macro(
        self, macro: MacroValue, arguments: list[Value], keywords: dict[str, Value]
    ) -> None:
        bound: dict[str, Value] = dict(zip(macro.parameters, arguments, strict=False))
        bound.update((key, value) for key, value in keywords.items() if key in macro.parameters)
        for parameter, value in bound.items():
            symbol = self.symbols.get(macro_symbol(macro.name, parameter))
            if symbol is not None and isinstance(value, Ref):
                self.copy_uses(symbol, value)
