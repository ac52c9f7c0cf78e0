"""Walk a template's Jinja AST and record how it uses each context variable.

The walk is a small abstract interpretation of the template: expressions evaluate to a
``Ref`` (a context path such as ``order.items[]``), a ``Literal`` of known type or nothing
known. Loop targets, ``set`` / ``with`` aliases and macro parameters are local names bound to
such values, so ``{% for item in items %}{{ item.name }}`` records ``items[].name`` and
``loop.*`` records nothing. Guards (``if x``, ``x is defined``, ``x | default``, ``x or ...``)
mark the uses inside them, which is what makes a field optional.

The pieces, one module each:
- ``inference`` (here): ``UsageCollector``, the walk over statements and the scopes they open;
- ``expressions``: expressions and conditions (``ExpressionEvaluator``);
- ``operator_evidence``, ``filter_evidence``, ``call_evidence``: what an operator, a filter or
  ``is`` test, a method call tells about the value it applies to;
- ``usage_recorder``: the recorded uses, the local names in scope, the active guards;
- ``values``: what an expression evaluates to (``Ref``, ``Literal``...).
The recorded uses (``usage``) become field types in ``shapes``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from jinja2 import nodes

from glasswork_email.compiler.expressions import ExpressionEvaluator
from glasswork_email.compiler.usage import ELEMENT, VALUE, UseKind
from glasswork_email.compiler.values import (
    DictItems,
    GuardKey,
    Literal,
    MacroValue,
    Ref,
    Sequence_,
    Value,
    macro_symbol,
)

__all__ = ["UsageCollector"]

logger = logging.getLogger(__name__)


class UsageCollector(ExpressionEvaluator):
    """Records the uses of context paths in one or more parsed templates.

    Parameters:
        locate: maps a line of the parsed source to its original file and line.
    """

    def collect(self, template: nodes.Template) -> None:
        """Walk a parsed template (``environment.parse(source)``)."""
        self._statements(template.body)

    def _statements(self, statements: Sequence[nodes.Node]) -> None:
        for statement in statements:
            self._statement(statement)

    def _statement(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if not isinstance(child, nodes.TemplateData):
                    self.record(self.expression(child), UseKind.OUTPUT, child)
        elif isinstance(node, nodes.If):
            self._if(node, frozenset())
        elif isinstance(node, nodes.For):
            self._for(node)
        elif isinstance(node, nodes.Assign):
            value = self.expression(node.node)
            self._bind_target(node.target, value)
        elif isinstance(node, nodes.AssignBlock):
            with self.scope():
                self._statements(node.body)
            self._bind_target(node.target, Literal("str"))
        elif isinstance(node, nodes.Macro):
            self._macro(node)
        elif isinstance(node, nodes.CallBlock):
            self.expression(node.call)
            with self.scope({arg.name: None for arg in node.args}):
                self._statements(node.body)
        elif isinstance(node, nodes.With):
            bindings: dict[str, Value] = {}
            for target, value_node in zip(node.targets, node.values, strict=False):
                if isinstance(target, nodes.Name):
                    bindings[target.name] = self.expression(value_node)
            with self.scope(bindings):
                self._statements(node.body)
        elif isinstance(node, nodes.FilterBlock):
            self.expression(node.filter)
            self._statements(node.body)
        elif isinstance(node, nodes.ExprStmt):
            self.expression(node.node)
        elif isinstance(node, (nodes.Scope, nodes.ScopedEvalContextModifier, nodes.Block)):
            with self.scope():
                self._statements(node.body)
        elif isinstance(node, nodes.EvalContextModifier):
            pass
        else:
            for inner in node.iter_child_nodes():
                if isinstance(inner, nodes.Stmt):
                    self._statement(inner)
                elif isinstance(inner, nodes.Expr):
                    self.expression(inner)

    def _if(self, node: nodes.If, inherited_negative: frozenset[GuardKey]) -> None:
        positive, negative = self.test(node.test)
        with self.guarded(positive):
            self._statements(node.body)
        remaining_negative = inherited_negative | negative
        with self.guarded(remaining_negative):
            for branch in node.elif_:
                branch_positive, branch_negative = self.test(branch.test)
                with self.guarded(branch_positive):
                    self._statements(branch.body)
                remaining_negative |= branch_negative
            with self.guarded(remaining_negative):
                self._statements(node.else_)

    def _for(self, node: nodes.For) -> None:
        iterable = self.expression(node.iter)
        self.record(iterable, UseKind.ITERATE, node.iter)
        element: Value = None
        bindings: dict[str, Value] = {"loop": None}
        if isinstance(iterable, Ref):
            element = iterable.extended(ELEMENT, self.is_guarded(iterable))
        elif isinstance(iterable, Sequence_):
            element = iterable.element
        if isinstance(node.target, nodes.Name):
            bindings[node.target.name] = element
        elif isinstance(node.target, nodes.Tuple):
            names = [item.name for item in node.target.items if isinstance(item, nodes.Name)]
            pair: list[Value] = [None] * len(names)
            if isinstance(iterable, DictItems) and len(names) == 2:
                pair = [Literal("str"), iterable.mapping.extended(VALUE, False)]
            bindings.update(zip(names, pair, strict=True))
        with self.scope(bindings):
            if node.test is not None:
                self.test(node.test)
            self._statements(node.body)
        self._statements(node.else_)

    def _macro(self, node: nodes.Macro) -> None:
        parameters = tuple(arg.name for arg in node.args)
        for default in node.defaults:
            self.expression(default)
        bindings: dict[str, Value] = {
            name: Ref(macro_symbol(node.name, name)) for name in parameters
        }
        bindings.update({"varargs": None, "kwargs": None, "caller": None})
        self.bind(node.name, MacroValue(node.name, parameters))
        with self.scope(bindings):
            self._statements(node.body)

    def _bind_target(self, target: nodes.Node, value: Value) -> None:
        if isinstance(target, nodes.Name):
            self.bind(target.name, value)
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self._bind_target(item, None)
