"""Walk a template's Jinja AST and record how it uses each context variable.

The walk is a small abstract interpretation of the template: expressions evaluate to a
``Ref`` (a context path such as ``order.items[]``), a ``Literal`` of known type or nothing
known. Loop targets, ``set`` / ``with`` aliases and macro parameters are local names bound to
such values, so ``{% for item in items %}{{ item.name }}`` records ``items[].name`` and
``loop.*`` records nothing. Guards (``if x``, ``x is defined``, ``x | default``, ``x or ...``)
mark the uses inside them, which is what makes a field optional.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace

from jinja2 import nodes

from glasswork_email.compiler.errors import SourceLocation
from glasswork_email.compiler.usage import ELEMENT, VALUE, PathNode, Use, UseKind

__all__ = ["UsageCollector"]

logger = logging.getLogger(__name__)

_GLOBAL_NAMES = frozenset(
    {"range", "dict", "lipsum", "cycler", "joiner", "namespace", "super", "caller", "varargs"}
)
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
_FORMAT_SPEC = re.compile(r"%(?:\([^)]*\))?[-+ #0]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa%])")


@dataclass(frozen=True)
class Ref:
    """A value that is a context path (``root`` is a context name or a macro parameter symbol)."""

    root: str
    path: tuple[str, ...] = ()
    guarded: bool = False

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        return (self.root, self.path)

    def extended(self, segment: str, guarded: bool) -> Ref:
        return Ref(self.root, (*self.path, segment), guarded)


@dataclass(frozen=True)
class Literal:
    """A value of a known Python type: ``"str"``, ``"int"``, ``"float"``, ``"bool"``..."""

    type: str


@dataclass(frozen=True)
class Sequence_:
    """A list-like value whose elements are ``element`` (``items | map(attribute="x")``)."""

    element: Ref


@dataclass(frozen=True)
class DictItems:
    """``mapping.items()`` / ``mapping | dictsort``: pairs of key and ``mapping{}`` value."""

    mapping: Ref


@dataclass(frozen=True)
class MacroValue:
    """A macro; calling it applies its parameters' recorded uses to the arguments."""

    name: str
    parameters: tuple[str, ...]


Value = Ref | Literal | Sequence_ | DictItems | MacroValue | None
GuardKey = tuple[str, tuple[str, ...]]


def _macro_symbol(macro: str, parameter: str) -> str:
    return f"<macro {macro}>.{parameter}"


class UsageCollector:
    """Records the uses of context paths in one or more parsed templates.

    Parameters:
        locate: maps a line of the parsed source to its original file and line.
    """

    def __init__(self, locate: Callable[[int], SourceLocation]) -> None:
        self.locate = locate
        self.roots: dict[str, PathNode] = {}
        self.symbols: dict[str, PathNode] = {}
        self.scopes: list[dict[str, Value]] = [{}]
        self.guards: list[frozenset[GuardKey]] = []
        self.first_use: dict[str, SourceLocation] = {}

    # -- recording ------------------------------------------------------------------------
    def _node(self, ref: Ref) -> PathNode:
        table = self.symbols if ref.root.startswith("<macro ") else self.roots
        root = table.get(ref.root)
        if root is None:
            root = table[ref.root] = PathNode()
        return root.at(ref.path)

    def _is_guarded(self, ref: Ref) -> bool:
        return ref.guarded or any(ref.key in guard for guard in self.guards)

    def record(self, value: Value, kind: UseKind, node: nodes.Node, detail: str = "") -> None:
        """Record that ``value`` (when it is a context path) is used as ``kind`` at ``node``."""
        if isinstance(value, Sequence_):
            value = value.element
        if not isinstance(value, Ref):
            return
        location = self.locate(node.lineno)
        self.first_use.setdefault(value.root, location)
        self._node(value).uses.append(Use(kind, location, self._is_guarded(value), detail))

    @contextmanager
    def _guarded(self, keys: frozenset[GuardKey]) -> Iterator[None]:
        self.guards.append(keys)
        try:
            yield
        finally:
            self.guards.pop()

    @contextmanager
    def _scope(self, bindings: dict[str, Value] | None = None) -> Iterator[None]:
        self.scopes.append(dict(bindings or {}))
        try:
            yield
        finally:
            self.scopes.pop()

    def _bind(self, name: str, value: Value) -> None:
        self.scopes[-1][name] = value

    def _lookup(self, name: str) -> tuple[bool, Value]:
        for scope in reversed(self.scopes):
            if name in scope:
                return True, scope[name]
        return False, None

    # -- statements -----------------------------------------------------------------------
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
            with self._scope():
                self._statements(node.body)
            self._bind_target(node.target, Literal("str"))
        elif isinstance(node, nodes.Macro):
            self._macro(node)
        elif isinstance(node, nodes.CallBlock):
            self.expression(node.call)
            with self._scope({arg.name: None for arg in node.args}):
                self._statements(node.body)
        elif isinstance(node, nodes.With):
            bindings: dict[str, Value] = {}
            for target, value_node in zip(node.targets, node.values, strict=False):
                if isinstance(target, nodes.Name):
                    bindings[target.name] = self.expression(value_node)
            with self._scope(bindings):
                self._statements(node.body)
        elif isinstance(node, nodes.FilterBlock):
            self._statements(node.body)
        elif isinstance(node, nodes.ExprStmt):
            self.expression(node.node)
        elif isinstance(node, (nodes.Scope, nodes.ScopedEvalContextModifier, nodes.Block)):
            with self._scope():
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
        with self._guarded(positive):
            self._statements(node.body)
        remaining_negative = inherited_negative | negative
        with self._guarded(remaining_negative):
            for branch in node.elif_:
                branch_positive, branch_negative = self.test(branch.test)
                with self._guarded(branch_positive):
                    self._statements(branch.body)
                remaining_negative |= branch_negative
            with self._guarded(remaining_negative):
                self._statements(node.else_)

    def _for(self, node: nodes.For) -> None:
        iterable = self.expression(node.iter)
        self.record(iterable, UseKind.ITERATE, node.iter)
        element: Value = None
        bindings: dict[str, Value] = {"loop": None}
        if isinstance(iterable, Ref):
            element = iterable.extended(ELEMENT, self._is_guarded(iterable))
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
        with self._scope(bindings):
            if node.test is not None:
                self.test(node.test)
            self._statements(node.body)
        self._statements(node.else_)

    def _macro(self, node: nodes.Macro) -> None:
        parameters = tuple(arg.name for arg in node.args)
        for default in node.defaults:
            self.expression(default)
        bindings: dict[str, Value] = {
            name: Ref(_macro_symbol(node.name, name)) for name in parameters
        }
        bindings.update({"varargs": None, "kwargs": None, "caller": None})
        self._bind(node.name, MacroValue(node.name, parameters))
        with self._scope(bindings):
            self._statements(node.body)

    def _bind_target(self, target: nodes.Node, value: Value) -> None:
        if isinstance(target, nodes.Name):
            self._bind(target.name, value)
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self._bind_target(item, None)

    # -- tests (conditions) ---------------------------------------------------------------
    def test(self, node: nodes.Node) -> tuple[frozenset[GuardKey], frozenset[GuardKey]]:
        """Evaluate a condition: record its uses, return the paths it guards when true / false."""
        if isinstance(node, nodes.Not):
            positive, negative = self.test(node.node)
            return negative, positive
        if isinstance(node, nodes.And):
            left_positive, _ = self.test(node.left)
            with self._guarded(left_positive):
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

    # -- expressions ----------------------------------------------------------------------
    def expression(self, node: nodes.Node) -> Value:
        """Evaluate ``node``: record the uses it makes, return what it is."""
        if isinstance(node, nodes.Name):
            found, value = self._lookup(node.name)
            if found:
                return value
            if node.name in _GLOBAL_NAMES:
                return None
            ref = Ref(node.name)
            return replace(ref, guarded=self._is_guarded(ref))
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
                self._record_literal_hint(guarded, right, node, "fallback is")
                return guarded
            return right
        if isinstance(node, nodes.BinExpr):
            return self._arithmetic(node)
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
            return self._compare(node)
        if isinstance(node, nodes.CondExpr):
            positive, negative = self.test(node.test)
            with self._guarded(positive):
                first = self.expression(node.expr1)
            with self._guarded(negative):
                second = self.expression(node.expr2) if node.expr2 is not None else None
            self.record(first, UseKind.OUTPUT, node.expr1)
            if node.expr2 is not None:
                self.record(second, UseKind.OUTPUT, node.expr2)
            return Literal("str")
        if isinstance(node, nodes.Filter):
            return self._filter(node)
        if isinstance(node, nodes.Test):
            self._test_expression(node)
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
            return replace(ref, guarded=self._is_guarded(ref))
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
            return base.extended(ELEMENT, self._is_guarded(base))
        return None

    def _record_literal_hint(
        self, ref: Ref, other: Value, node: nodes.Node, why: str = "compared with"
    ) -> None:
        if isinstance(other, Literal):
            kind = {"str": UseKind.STRING, "int": UseKind.INT, "float": UseKind.FLOAT}.get(
                other.type
            )
            if kind is not None:
                self.record(ref, kind, node, f"{why} a {other.type}")

    def _arithmetic(self, node: nodes.BinExpr) -> Value:
        left = self.expression(node.left)
        right = self.expression(node.right)
        literal_types = {value.type for value in (left, right) if isinstance(value, Literal)}
        if isinstance(node, nodes.Add) and "str" in literal_types:
            for value in (left, right):
                self.record(value, UseKind.STRING, node, "string concatenation")
            return Literal("str")
        if isinstance(node, nodes.Mod) and isinstance(left, Literal) and left.type == "str":
            self.record(right, UseKind.OUTPUT, node, "% formatting")
            return Literal("str")
        if isinstance(node, nodes.Mul) and "str" in literal_types:
            for value in (left, right):
                self.record(value, UseKind.INT, node, "repeat count")
            return Literal("str")
        if isinstance(node, (nodes.Div, nodes.Pow)) or "float" in literal_types:
            kind = UseKind.FLOAT
        elif "int" in literal_types:
            kind = UseKind.INT
        else:
            kind = UseKind.NUMBER
        detail = f"operator {node.operator}"
        for value in (left, right):
            self.record(value, kind, node, detail)
        return Literal("float" if kind is not UseKind.INT else "int")

    def _compare(self, node: nodes.Compare) -> Value:
        operands = [self.expression(node.expr)] + [self.expression(op.expr) for op in node.ops]
        for index, operand in enumerate(node.ops):
            left, right = operands[index], operands[index + 1]
            if operand.op in ("lt", "gt", "lteq", "gteq"):
                literal = next((v for v in (left, right) if isinstance(v, Literal)), None)
                kind = UseKind.FLOAT if literal and literal.type == "float" else UseKind.NUMBER
                if literal and literal.type == "int":
                    kind = UseKind.INT
                for value in (left, right):
                    self.record(value, kind, node, "ordered comparison")
            elif operand.op in ("eq", "ne"):
                if isinstance(left, Ref):
                    self._record_literal_hint(left, right, node)
                if isinstance(right, Ref):
                    self._record_literal_hint(right, left, node)
            elif operand.op in ("in", "notin"):
                self.record(right, UseKind.ITERATE, node, "membership")
                if isinstance(right, Ref) and isinstance(left, Literal) and left.type == "str":
                    element = right.extended(ELEMENT, self._is_guarded(right))
                    self.record(element, UseKind.STRING, node, "membership")
                if isinstance(left, Ref) and isinstance(right, Literal) and right.type == "str":
                    self.record(left, UseKind.STRING, node, "substring test")
        return Literal("bool")

    def _arguments(self, node: nodes.Filter | nodes.Test | nodes.Call) -> list[Value]:
        values = [self.expression(arg) for arg in node.args]
        for keyword in node.kwargs:
            self.expression(keyword.value)
        for dynamic in (node.dyn_args, node.dyn_kwargs):
            if dynamic is not None:
                self.expression(dynamic)
        return values

    @staticmethod
    def _keyword(node: nodes.Filter | nodes.Call, name: str) -> str | None:
        for keyword in node.kwargs:
            if keyword.key == name and isinstance(keyword.value, nodes.Const):
                return str(keyword.value.value)
        return None

    def _filter(self, node: nodes.Filter) -> Value:
        base = self.expression(node.node) if node.node is not None else None
        arguments = self._arguments(node)
        name = node.name
        attribute = self._keyword(node, "attribute")
        element = base.extended(ELEMENT, self._is_guarded(base)) if isinstance(base, Ref) else None
        if name in ("default", "d"):
            if isinstance(base, Ref):
                guarded = replace(base, guarded=True)
                self.record(guarded, UseKind.GUARD, node, "default")
                if arguments:
                    self._record_literal_hint(guarded, arguments[0], node, "fallback is")
                return guarded
            return base
        if name in ("round", "abs", "filesizeformat"):
            self.record(base, UseKind.FLOAT if name == "round" else UseKind.NUMBER, node, name)
            return Literal("float")
        if name == "format":
            if isinstance(base, Literal):
                conversions = _FORMAT_SPEC.findall(_format_string(node))
                conversions = [c for c in conversions if c != "%"]
                for value, conversion in zip(arguments, conversions, strict=False):
                    self.record(value, _conversion_kind(conversion), node, f"'%{conversion}'")
            else:
                self.record(base, UseKind.STRING, node, name)
            return Literal("str")
        if name in ("int", "float", "string", "bool", "tojson", "pprint"):
            self.record(base, UseKind.CONVERTED, node, name)
            return Literal("str" if name in ("string", "tojson", "pprint") else name)
        if name in ("length", "count"):
            self.record(base, UseKind.SIZED, node, name)
            return Literal("int")
        if name == "sum":
            self.record(base, UseKind.ITERATE, node, name)
            target = element.extended(attribute, False) if element and attribute else element
            self.record(target, UseKind.NUMBER, node, name)
            return Literal("float")
        if name == "join":
            self.record(base, UseKind.ITERATE, node, name)
            target = element.extended(attribute, False) if element and attribute else element
            self.record(target, UseKind.OUTPUT, node, name)
            return Literal("str")
        if name == "map":
            self.record(base, UseKind.ITERATE, node, name)
            if element is not None and attribute:
                return Sequence_(element.extended(attribute, False))
            return Sequence_(element) if element is not None else None
        if name in ("first", "last", "random"):
            self.record(base, UseKind.ITERATE, node, name)
            return element
        if name in _LIST_FILTERS:
            self.record(base, UseKind.ITERATE, node, name)
            if name in ("selectattr", "rejectattr") and element and arguments:
                first = node.args[0]
                if isinstance(first, nodes.Const) and isinstance(first.value, str):
                    self.record(element.extended(first.value, False), UseKind.TEST, node, name)
            return base
        if name in ("dictsort", "items"):
            self.record(base, UseKind.MAPPING, node, name)
            return DictItems(base) if isinstance(base, Ref) else None
        if name in _STRING_FILTERS:
            self.record(base, UseKind.STRING, node, name)
            return Literal("str")
        self.record(base, UseKind.OUTPUT, node, name)
        return None

    def _test_expression(self, node: nodes.Test) -> None:
        value = self.expression(node.node)
        self._arguments(node)
        if node.name in ("defined", "undefined", "none"):
            self.record(value, UseKind.GUARD, node, f"is {node.name}")
        elif node.name in ("odd", "even", "divisibleby"):
            self.record(value, UseKind.INT, node, f"is {node.name}")

    def _call(self, node: nodes.Call) -> Value:
        callee = node.node
        if isinstance(callee, nodes.Getattr):
            owner = self.expression(callee.node)
            arguments = self._arguments(node)
            return self._method(node, owner, callee.attr, arguments)
        called = self.expression(callee)
        arguments = self._arguments(node)
        if isinstance(called, MacroValue):
            self._apply_macro(node, called, arguments)
        elif isinstance(callee, nodes.Name) and callee.name == "range":
            for value in arguments:
                self.record(value, UseKind.INT, node, "range")
        return None

    def _method(self, node: nodes.Call, owner: Value, method: str, arguments: list[Value]) -> Value:
        if not isinstance(owner, Ref):
            return None
        if method in _STRING_METHODS:
            self.record(owner, UseKind.STRING, node, f".{method}()")
            return Literal("str")
        if method == "items":
            self.record(owner, UseKind.MAPPING, node, ".items()")
            return DictItems(owner)
        if method == "values":
            self.record(owner, UseKind.MAPPING, node, ".values()")
            return Sequence_(owner.extended(VALUE, False))
        if method == "keys":
            self.record(owner, UseKind.MAPPING, node, ".keys()")
            return None
        self.record(owner, UseKind.METHOD, node, f".{method}()")
        return None

    def _apply_macro(self, node: nodes.Call, macro: MacroValue, arguments: list[Value]) -> None:
        bound: dict[str, Value] = dict(zip(macro.parameters, arguments, strict=False))
        for keyword in node.kwargs:
            if keyword.key in macro.parameters:
                bound[keyword.key] = self.expression(keyword.value)
        for parameter, value in bound.items():
            symbol = self.symbols.get(_macro_symbol(macro.name, parameter))
            if symbol is not None and isinstance(value, Ref):
                self._copy_uses(symbol, value)

    def _copy_uses(self, source: PathNode, target: Ref) -> None:
        target_node = self._node(target)
        outer_guard = self._is_guarded(target)
        for use in source.uses:
            target_node.uses.append(replace(use, guarded=use.guarded or outer_guard))
        for segment, child in source.children.items():
            self._copy_uses(child, target.extended(segment, False))


def _format_string(node: nodes.Filter) -> str:
    return node.node.value if isinstance(node.node, nodes.Const) else ""


def _conversion_kind(conversion: str) -> UseKind:
    if conversion in "diouxXc":
        return UseKind.INT
    if conversion in "eEfFgG":
        return UseKind.FLOAT
    return UseKind.OUTPUT
