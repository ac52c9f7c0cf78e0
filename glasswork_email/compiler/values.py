"""What a template expression evaluates to while inference walks it.

An expression is a context path (``Ref``), a value of known type (``Literal``), a list of
paths (``Sequence_``), a mapping's key/value pairs (``DictItems``), a macro (``MacroValue``)
or nothing known (``None``). Local names (loop targets, ``set``, ``with``, macro parameters)
are bound to these, which is how ``item.name`` inside ``for item in items`` becomes
``items[].name``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DictItems",
    "GuardKey",
    "Literal",
    "MacroValue",
    "Ref",
    "Sequence_",
    "Value",
    "macro_symbol",
]


@dataclass(frozen=True)
class Ref:
    """A value that is a context path (``root`` is a context name or a macro parameter symbol).

    Parameters:
        root: the context variable, or a ``macro_symbol`` for a macro parameter.
        path: attribute names (or ``ELEMENT`` / ``VALUE``) below ``root``; default ``()``.
        guarded: whether this path is guarded where it is used (``x | default``); default
            ``False``.
    """

    root: str
    path: tuple[str, ...] = ()
    guarded: bool = False

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        """The path without its guard flag: what guards are keyed by."""
        return (self.root, self.path)

    def extended(self, segment: str, guarded: bool) -> Ref:
        """The path one ``segment`` below this one."""
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
"""A guarded path: ``Ref.key``."""


def macro_symbol(macro: str, parameter: str) -> str:
    """The root under which uses of a macro's ``parameter`` are recorded until it is called."""
    return f"<macro {macro}>.{parameter}"
