"""The application functions the real-world corpus calls, as an extension module.

Redash calls Flask's ``url_for`` and Flask-Security its ``_fsdomain`` translation function;
the corpus test registers these stand-ins (same signatures) through the compile configuration,
as an application would register its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def url_for(endpoint: str, **values: Any) -> str:
    """A URL for ``endpoint``: the endpoint as a path, the values as a sorted query."""
    values.pop("_external", None)
    query = "&".join(f"{key}={value}" for key, value in sorted(values.items()))
    return f"https://app.example.com/{endpoint.replace('.', '/')}" + (f"?{query}" if query else "")


def _fsdomain(message: str, **values: Any) -> str:
    """Flask-Security's message lookup without translation: ``%(name)s`` substitution."""
    return message % values


globals: dict[str, Callable[..., str]] = {"url_for": url_for, "_fsdomain": _fsdomain}
"""The functions templates call, by name."""
