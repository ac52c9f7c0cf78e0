"""The state of an inference walk: the recorded uses, the local names in scope, the guards.

``UsageRecorder`` is what the walk (``inference.UsageCollector``) and the evidence rules
(``operator_evidence``, ``filter_evidence``, ``call_evidence``) write to: ``record`` files one
``Use`` under a context path, marked guarded when an enclosing ``if x`` / ``x is defined``
covers that path. ``report`` files a located compile error (an unknown filter...) so that
every problem of a template is reported at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import nodes

from glasswork_email.compiler.errors import CompileError, SourceLocation
from glasswork_email.compiler.usage import GUARD_KINDS, PathNode, Use, UseKind
from glasswork_email.compiler.values import GuardKey, Ref, Sequence_, Value

if TYPE_CHECKING:
    from glasswork_email.compiler.extensions import CallableNames

__all__ = ["UsageRecorder"]


class UsageRecorder:
    """Records uses of context paths, and tracks the scopes and guards they happen under.

    Parameters:
        locate: maps a line of the parsed source to its original file and line.
        names: the filters, tests and globals the environment knows, and the custom ones'
            signatures (default ``None``: names are not checked).
    """

    def __init__(
        self, locate: Callable[[int], SourceLocation], names: CallableNames | None = None
    ) -> None:
        self.locate = locate
        self.names = names
        self.errors: list[CompileError] = []
        self.fallbacks: list[tuple[Ref, Ref]] = []
        """``(fallback, guarded)`` of each ``guarded | default(fallback)``: the fallback
        takes the guarded value's type (``apply_fallbacks``)."""
        self.roots: dict[str, PathNode] = {}
        self.symbols: dict[str, PathNode] = {}
        self.scopes: list[dict[str, Value]] = [{}]
        self.guards: list[frozenset[GuardKey]] = []
        self.first_use: dict[str, SourceLocation] = {}

    def node_at(self, ref: Ref) -> PathNode:
        """The tree node of ``ref`` (macro parameters have their own table), created as needed."""
        table = self.symbols if ref.root.startswith("<macro ") else self.roots
        root = table.get(ref.root)
        if root is None:
            root = table[ref.root] = PathNode()
        return root.at(ref.path)

    def is_guarded(self, ref: Ref) -> bool:
        """Whether ``ref`` is guarded itself or by an enclosing condition on the same path."""
        return ref.guarded or any(ref.key in guard for guard in self.guards)

    def record(
        self,
        value: Value,
        kind: UseKind,
        node: nodes.Node,
        detail: str = "",
        annotation: str = "",
        imports: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        """Record that ``value`` (when it is a context path) is used as ``kind`` at ``node``.

        ``annotation`` (with the ``imports`` it needs) is the type a ``TYPED`` use gives.
        """
        if isinstance(value, Sequence_):
            value = value.element
        if not isinstance(value, Ref):
            return
        location = self.locate(node.lineno)
        self.first_use.setdefault(value.root, location)
        use = Use(kind, location, self.is_guarded(value), detail, annotation, imports)
        self.node_at(value).uses.append(use)

    def report(self, node: nodes.Node, message: str, near: str = "") -> None:
        """File a compile error at ``node``'s line, at the column of ``near`` when found there."""
        location = self.locate(node.lineno)
        if near:
            location = _column_of(location, near)
        error = CompileError(location, message)
        if error not in self.errors:
            self.errors.append(error)

    def apply_fallbacks(self) -> None:
        """Give each ``default(...)`` fallback the uses of the value it stands in for."""
        for fallback, guarded in self.fallbacks:
            source = self.node_at(guarded)
            target = self.node_at(fallback)
            for use in source.uses:
                if use.kind not in GUARD_KINDS and use.kind is not UseKind.PASSED:
                    target.uses.append(replace(use, guarded=fallback.guarded, detail="default"))
            for segment, child in source.children.items():
                self.copy_uses(child, fallback.extended(segment, False))

    def copy_uses(self, source: PathNode, target: Ref) -> None:
        """Record every use under ``source`` (a macro parameter) again under ``target``."""
        target_node = self.node_at(target)
        outer_guard = self.is_guarded(target)
        for use in source.uses:
            target_node.uses.append(replace(use, guarded=use.guarded or outer_guard))
        for segment, child in source.children.items():
            self.copy_uses(child, target.extended(segment, False))

    @contextmanager
    def guarded(self, keys: frozenset[GuardKey]) -> Iterator[None]:
        """Within the block, uses of the paths in ``keys`` count as guarded."""
        self.guards.append(keys)
        try:
            yield
        finally:
            self.guards.pop()

    @contextmanager
    def scope(self, bindings: dict[str, Value] | None = None) -> Iterator[None]:
        """Within the block, a new scope of local names holds ``bindings`` (default none)."""
        self.scopes.append(dict(bindings or {}))
        try:
            yield
        finally:
            self.scopes.pop()

    def bind(self, name: str, value: Value) -> None:
        """Bind the local ``name`` to ``value`` in the innermost scope."""
        self.scopes[-1][name] = value

    def lookup(self, name: str) -> tuple[bool, Value]:
        """Whether ``name`` is a local name, and if so what it is bound to."""
        for scope in reversed(self.scopes):
            if name in scope:
                return True, scope[name]
        return False, None


def _column_of(location: SourceLocation, pattern: str) -> SourceLocation:
    """``location`` with the column where regex ``pattern`` first matches its line."""
    try:
        lines = _file_lines(location.file, location.file.stat().st_mtime_ns)
    except OSError:
        return location
    if not 0 < location.line <= len(lines):
        return location
    match = re.search(pattern, lines[location.line - 1])
    if match is None:
        return location
    start = match.start(match.lastindex or 0)
    return SourceLocation(location.file, location.line, start + 1)


@lru_cache(maxsize=64)
def _file_lines(path: Path, modified_ns: int) -> list[str]:
    """The lines of ``path`` as of ``modified_ns`` (a new version is read again)."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
