"""The compile configuration: ``[tool.glasswork-email]`` in ``pyproject.toml`` or a TOML file.

The nearest ``pyproject.toml`` at or above the templates folder is read (a file without the
table means the defaults), unless a file is given with ``--config``: that file's
``[tool.glasswork-email]`` table, or its top level when it has none::

    [tool.glasswork-email]
    extensions = ["shop.email_filters"]   # modules defining `filters`, `tests`, `globals`
    mjml_validation = "strict"            # or "warn": MJML mistakes are printed, not errors

Unknown keys are an error naming the key. Only the standard library is imported here: the
CLI reads the configuration before deciding whether anything needs compiling.
"""

from __future__ import annotations

import hashlib
import importlib.util
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "CONFIG_TABLE",
    "MJML_VALIDATION_MODES",
    "CompileConfig",
    "ConfigError",
    "find_config_file",
    "load_config",
]

CONFIG_TABLE = "glasswork-email"
"""The table under ``[tool]`` that holds the configuration."""
MJML_VALIDATION_MODES = ("strict", "warn")
"""``mjml_validation`` values: MJML mistakes are errors (``strict``) or printed warnings."""


class ConfigError(ValueError):
    """The compile configuration is invalid; the message names the file and the key."""


@dataclass(frozen=True)
class CompileConfig:
    """What ``[tool.glasswork-email]`` configures.

    Parameters:
        extensions: dotted module paths; each may define module-level dicts ``filters``,
            ``tests`` and ``globals`` (name → callable), registered for both the compiler and
            the rendering environment of the generated package (default none).
        mjml_validation: ``"strict"`` (default): unknown MJML tags, attributes and invalid
            attribute values are compile errors; ``"warn"``: they are printed as warnings.
        file: the file the configuration was read from (``None``: defaults, no file).
        root: the folder extension modules are imported relative to (the file's folder).
        raw: the table as read, for tables other parts of the compiler own (``lint``...).
    """

    extensions: tuple[str, ...] = ()
    mjml_validation: str = "strict"
    file: Path | None = None
    root: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def fingerprint(self) -> str:
        """A hash of the configuration and of the extension modules' source files.

        Part of the compiler's fingerprint: changing a filter's signature changes the
        inferred types, so every template is recompiled.
        """
        digest = hashlib.sha256(repr(sorted(self.raw.items())).encode())
        for module in self.extensions:
            digest.update(module.encode() + b"\0")
            location = _module_file(module, self.root)
            if location is not None:
                digest.update(location.read_bytes())
        return digest.hexdigest()


_KNOWN_KEYS = {
    "extensions": "a list of dotted module names",
    "mjml_validation": 'one of "strict", "warn"',
}
"""Keys of the table and what each takes; other issues add theirs here."""
_OWNED_ELSEWHERE = frozenset(
    {"lint", "default_locale", "locales", "missing_translation", "url_schemes"}
)
"""Keys read by other parts of the compiler (``raw``), accepted here as they are."""


def find_config_file(templates_folder: Path) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``templates_folder``, or ``None``."""
    folder = templates_folder.resolve()
    for candidate in (folder, *folder.parents):
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            return pyproject
    return None


def load_config(templates_folder: Path, config_file: Path | None = None) -> CompileConfig:
    """The compile configuration for ``templates_folder``.

    Parameters:
        templates_folder: the folder being compiled; the nearest ``pyproject.toml`` at or
            above it is read when ``config_file`` is not given.
        config_file: a TOML file given with ``--config`` (default: look for
            ``pyproject.toml``); its ``[tool.glasswork-email]`` table, else its top level.

    Raises ``ConfigError`` naming the file and key for invalid TOML, unknown keys or values of
    the wrong type.
    """
    path = config_file if config_file is not None else find_config_file(templates_folder)
    if path is None:
        return CompileConfig()
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the configuration ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    tool = document.get("tool")
    if isinstance(tool, dict) and CONFIG_TABLE in tool:
        table, where = tool[CONFIG_TABLE], f"[tool.{CONFIG_TABLE}]"
    elif config_file is not None:
        table, where = document, "the top level"
    else:
        return CompileConfig(file=path, root=path.parent)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {where} must be a table")
    return _parse(table, path, where)


def _parse(table: dict[str, Any], path: Path, where: str) -> CompileConfig:
    for key in table:
        if key not in _KNOWN_KEYS and key not in _OWNED_ELSEWHERE:
            known = ", ".join(sorted({*_KNOWN_KEYS, *_OWNED_ELSEWHERE}))
            raise ConfigError(f"{path}: unknown key {key!r} in {where}; known keys: {known}")
    extensions = table.get("extensions", [])
    if not isinstance(extensions, list) or not all(
        isinstance(module, str) and _is_dotted_name(module) for module in extensions
    ):
        raise ConfigError(
            f"{path}: `extensions` in {where} must be {_KNOWN_KEYS['extensions']}, "
            f'like ["shop.email_filters"]; got {extensions!r}'
        )
    mode = table.get("mjml_validation", "strict")
    if mode not in MJML_VALIDATION_MODES:
        raise ConfigError(
            f"{path}: `mjml_validation` in {where} must be {_KNOWN_KEYS['mjml_validation']}; "
            f"got {mode!r}"
        )
    return CompileConfig(
        extensions=tuple(extensions),
        mjml_validation=mode,
        file=path,
        root=path.parent,
        raw=dict(table),
    )


def _is_dotted_name(module: str) -> bool:
    return bool(module) and all(part.isidentifier() for part in module.split("."))


def _module_file(module: str, root: Path | None) -> Path | None:
    """The source file of ``module``: under ``root`` (``a/b.py``, ``a/b/__init__.py``), else
    where the import system finds it (``None`` when it finds nothing)."""
    if root is not None:
        base = root.joinpath(*module.split("."))
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None or not Path(spec.origin).is_file():
        return None
    return Path(spec.origin)
