"""How generated names are derived from template and field names (standard library only).

``compile --check`` needs ``camel_case`` to find a template's context model in the package;
keeping it here spares the check the import of the model writer and the whole compiler.
"""

from __future__ import annotations

__all__ = ["camel_case", "singular"]


def camel_case(name: str) -> str:
    """``order_confirmation`` → ``OrderConfirmation``."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_") if part)


def singular(name: str) -> str:
    """A best-effort singular of a list field's name, for its element model."""
    if name.endswith("ies") and len(name) > 3:
        return name[:-3] + "y"
    if name.endswith(("sses", "xes", "ches", "shes")):
        return name[:-2]
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return f"{name}_item"
