"""Sample contexts of email templates: JSON files beside each template.

``templates/welcome.json`` is the default sample context of ``templates/welcome.mjml``;
``templates/welcome.<name>.json`` (``name`` of ``a-z``, ``0-9`` and ``-``, such as
``welcome.long-name.json``) are further samples. Each holds one JSON object that the
generated ``WelcomeContext`` model validates in pydantic's JSON mode (``Decimal`` and dates
as strings). ``glasswork-email compile --check`` validates them; tests and previews render
with them. Only the standard library is imported here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from glasswork_email.compiler.errors import SourceLocation

__all__ = [
    "DEFAULT_SAMPLE",
    "SAMPLE_NAME",
    "Fixture",
    "FixtureError",
    "fixture_files",
    "load_fixtures",
    "load_template_fixtures",
]

DEFAULT_SAMPLE = "default"
"""The name of a template's default sample (``welcome.json``)."""
SAMPLE_NAME = re.compile(r"[a-z0-9-]+")
"""What the ``<name>`` of ``<template>.<name>.json`` may be made of."""


class FixtureError(ValueError):
    """A sample context file is not a JSON object or is misnamed; the message starts with
    ``file:line:col``.

    Parameters:
        location: where the problem is.
        message: what is wrong.
    """

    def __init__(self, location: SourceLocation, message: str) -> None:
        self.location = location
        self.message = message
        super().__init__(f"{location}: {message}")


@dataclass(frozen=True)
class Fixture:
    """One sample context of a template.

    Parameters:
        template: the template's name (``"welcome"``).
        name: the sample's name: ``"default"`` for ``welcome.json``, else the ``<name>`` of
            ``welcome.<name>.json``.
        path: the JSON file.
        text: the file's content (what ``Model.model_validate_json`` takes).
        context: the parsed JSON object.
    """

    template: str
    name: str
    path: Path
    text: str
    context: dict[str, Any]


def fixture_files(template_file: Path) -> dict[str, Path]:
    """The sample files beside ``template_file``, by sample name (default first, then sorted).

    Raises ``FixtureError`` for a ``<template>.<name>.json`` whose name is not made of
    ``a-z``, ``0-9`` and ``-``.
    """
    stem = template_file.stem
    found: dict[str, Path] = {}
    default = template_file.with_name(f"{stem}.json")
    if default.is_file():
        found[DEFAULT_SAMPLE] = default
    for path in sorted(template_file.parent.glob(f"{stem}.*.json")):
        name = path.name[len(stem) + 1 : -len(".json")]
        if not SAMPLE_NAME.fullmatch(name):
            raise FixtureError(
                SourceLocation(path, 1),
                f"sample name {name!r} must be made of a-z, 0-9 and '-' "
                f"(like {stem}.long-name.json)",
            )
        found[name] = path
    return found


def load_fixtures(templates_dir: Path, template_name: str) -> dict[str, Fixture]:
    """The sample contexts of template ``template_name`` in ``templates_dir``, by sample name.

    The default sample (``<template>.json``) comes first; a template without samples gives an
    empty dict.

    Parameters:
        templates_dir: the templates folder (the template may sit in a subfolder).
        template_name: the template's name (its file name without suffix).

    Raises ``LookupError`` naming the known templates when there is no such template, and
    ``FixtureError`` (at ``file:line:col``) for a file that is not a JSON object.
    """
    from glasswork_email.compiler.project import discover_templates

    templates = {path.stem: path for path in discover_templates(templates_dir)}
    template_file = templates.get(template_name)
    if template_file is None:
        known = ", ".join(sorted(templates))
        raise LookupError(f"no template {template_name!r} in {templates_dir}; known: {known}")
    return load_template_fixtures(template_file)


def load_template_fixtures(template_file: Path) -> dict[str, Fixture]:
    """The sample contexts beside ``template_file``, by sample name (default first).

    Raises ``FixtureError`` (at ``file:line:col``) for a file that is not a JSON object.
    """
    return {
        name: _load(template_file.stem, name, path)
        for name, path in fixture_files(template_file).items()
    }


def _load(template: str, name: str, path: Path) -> Fixture:
    text = path.read_text(encoding="utf-8")
    try:
        context = json.loads(text)
    except json.JSONDecodeError as error:
        raise FixtureError(
            SourceLocation(path, error.lineno, error.colno), f"not valid JSON: {error.msg}"
        ) from None
    if not isinstance(context, dict):
        raise FixtureError(
            SourceLocation(path, 1),
            f"a sample context is a JSON object of the {template!r} context's fields, "
            f"not {type(context).__name__}",
        )
    return Fixture(template, name, path, text, context)
