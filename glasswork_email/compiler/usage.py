"""What a template does with each context path: the evidence type inference decides from.

``inference.UsageCollector`` records one ``Use`` per thing a template does with a path
(``user.name`` printed, ``items`` looped over, ``total`` multiplied...), in a tree of
``PathNode``. ``shapes.resolve_context`` turns that tree into types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from glasswork_email.compiler.errors import SourceLocation

__all__ = ["ELEMENT", "VALUE", "PathNode", "Use", "UseKind"]

ELEMENT = "[]"
"""Path segment of a list's elements (``items[].name``)."""
VALUE = "{}"
"""Path segment of a mapping's values."""


class UseKind(Enum):
    """What a template does with a path; each kind is evidence for a type."""

    OUTPUT = "printed"
    STRING = "used as a string"
    INT = "used as an integer"
    FLOAT = "used as a decimal number"
    NUMBER = "used in arithmetic"
    TEST = "tested"
    GUARD = "given a fallback"
    ITERATE = "looped over"
    SIZED = "measured"
    ATTRIBUTE = "has attributes read"
    MAPPING = "used as a mapping"
    CONVERTED = "converted"
    METHOD = "has a method called"
    TYPED = "typed by the signature of"
    PASSED = "passed to"


GUARD_KINDS = frozenset({UseKind.TEST, UseKind.GUARD})
NUMERIC_KINDS = frozenset({UseKind.INT, UseKind.FLOAT, UseKind.NUMBER})


@dataclass(frozen=True)
class Use:
    """One use of a path.

    Parameters:
        kind: what was done.
        location: where (file and line of the template or partial).
        guarded: whether it happens under a guard on the same path (``if x``, ``x is
            defined``, ``x | default``, ``x or ...``), so the path may be absent there.
        detail: extra words for ``--explain`` (the filter or method name).
        annotation: for ``TYPED``: the type the callable's signature gives (``"Decimal"``).
        imports: ``(module, name)`` pairs ``annotation`` needs.
    """

    kind: UseKind
    location: SourceLocation
    guarded: bool = False
    detail: str = ""
    annotation: str = ""
    imports: frozenset[tuple[str, str]] = frozenset()

    def describe(self) -> str:
        """``printed at templates/welcome.mjml:12`` and the like."""
        if self.kind is UseKind.TYPED:
            where = f"{self.location.file}:{self.location.line}"
            return f"{self.annotation}: {self.kind.value} {self.detail} at {where}"
        detail = f" ({self.detail})" if self.detail else ""
        if self.kind is UseKind.PASSED:
            detail = f" {self.detail}"
        guard = ", guarded" if self.guarded and self.kind not in GUARD_KINDS else ""
        return f"{self.kind.value}{detail}{guard} at {self.location.file}:{self.location.line}"


@dataclass
class PathNode:
    """Everything recorded about one context path and, below it, its attributes and elements.

    Parameters:
        uses: the uses of this path.
        children: attribute name (or ``ELEMENT`` / ``VALUE``) → node.
    """

    uses: list[Use] = field(default_factory=list)
    children: dict[str, PathNode] = field(default_factory=dict)

    def child(self, segment: str) -> PathNode:
        """The node below this one at ``segment``, created on first use."""
        node = self.children.get(segment)
        if node is None:
            node = self.children[segment] = PathNode()
        return node

    def at(self, path: tuple[str, ...]) -> PathNode:
        """The node at ``path`` below this one, created as needed."""
        node = self
        for segment in path:
            node = node.child(segment)
        return node

    def kinds(self) -> set[UseKind]:
        """The kinds of use recorded on this node."""
        return {use.kind for use in self.uses}

    def attributes(self) -> dict[str, PathNode]:
        """The children that are attributes (not list elements or mapping values)."""
        return {name: node for name, node in self.children.items() if name not in (ELEMENT, VALUE)}
