"""Finding the application a command works on: ``load_app`` and ``CommandError``."""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

__all__ = ["DEFAULT_APP_ATTRIBUTES", "CommandError", "load_app"]

DEFAULT_APP_ATTRIBUTES = ("handler", "worker", "AppModule", "app_module")
"""Attributes looked up, in order, when ``APP`` names only a Python module."""


class CommandError(Exception):
    """A command cannot run; the message, one line, says what to change."""


def load_app(spec: str) -> Any:
    """Import ``package.module[:attribute]`` and return the attribute.

    The attribute is the root module (from ``define_module``) or a worker made by
    ``bootstrap_worker`` (its hooks and settings are then used). Without ``:attribute``,
    ``handler``, ``worker``, ``AppModule`` and ``app_module`` are tried in that order: a worker
    made by ``bootstrap_worker`` comes first, so its hooks and settings are not bypassed. The
    current directory is importable, as with ``python -m``.
    """
    module_name, _, attribute = spec.partition(":")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise CommandError(f"cannot import {module_name!r} (from APP {spec!r}): {error}") from None
    except Exception as error:
        raise CommandError(
            f"importing {module_name!r} (from APP {spec!r}) failed: {one_line(error)}"
        ) from None
    names = [attribute] if attribute else list(DEFAULT_APP_ATTRIBUTES)
    for name in names:
        target: Any = module
        try:
            for part in name.split("."):
                target = getattr(target, part)
        except AttributeError:
            continue
        return target
    raise CommandError(
        f"module {module_name!r} has no attribute "
        + (f"{attribute!r}" if attribute else f"named any of {', '.join(names)}")
        + "; pass APP as package.module:attribute"
    )


def one_line(error: BaseException) -> str:
    """``error`` as one line: its type and its message's lines joined."""
    text = "; ".join(line.strip() for line in str(error).splitlines() if line.strip())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
