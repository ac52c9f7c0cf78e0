"""Package attributes imported on first use, so importing a package stays cheap."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any

__all__ = ["exports_by_module", "lazy_attributes"]


def lazy_attributes(
    package: str, exports: Mapping[str, str], namespace: MutableMapping[str, Any]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``exports[name]`` (a module path) on first use and
    caches the attribute in ``namespace`` (the package's ``globals()``).

    Parameters:
        package: the package's dotted name, for the error message.
        exports: attribute name → the module defining it.
        namespace: the package's ``globals()``.
    """

    def get_attribute(name: str) -> Any:
        try:
            module = exports[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    return get_attribute


def exports_by_module(package: str, modules: Mapping[str, str]) -> dict[str, str]:
    """``lazy_attributes``' ``exports`` from the names each submodule of ``package`` defines.

    Parameters:
        package: the package's dotted name.
        modules: submodule (relative to ``package``) → its exported names, space-separated.
    """
    return {
        name: f"{package}.{module}" for module, names in modules.items() for name in names.split()
    }
