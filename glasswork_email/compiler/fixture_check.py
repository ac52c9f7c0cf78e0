"""``compile --check``: every sample context validates against its generated context model.

The generated package is imported from its folder under a private module name (it need not
be importable from ``sys.path``), and each ``<template>[.<name>].json`` beside a template is
validated by ``<Name>Context.model_validate_json``. A failure is reported at the file, line
and column of the offending key.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

from glasswork_email.compiler.errors import CompileError, SourceLocation
from glasswork_email.compiler.naming import camel_case
from glasswork_email.compiler.project import discover_templates
from glasswork_email.fixtures import Fixture, FixtureError, load_template_fixtures

__all__ = ["check_fixtures"]


def check_fixtures(source: Path, out: Path) -> list[CompileError]:
    """The problems of the sample contexts under ``source``, checked against the package ``out``.

    Parameters:
        source: the templates folder.
        out: the generated package compiled from it (expected up to date).
    """
    errors: list[CompileError] = []
    samples: list[Fixture] = []
    # one walk of the folder instead of a glob beside each template: most have no samples
    with_samples = {(path.parent, path.name.split(".")[0]) for path in source.rglob("*.json")}
    for template in discover_templates(source):
        if (template.parent, template.stem) not in with_samples:
            continue
        try:
            samples.extend(load_template_fixtures(template).values())
        except FixtureError as error:
            errors.append(CompileError(error.location, error.message))
    if not samples:
        return errors
    package = _import_package(out)
    try:
        for sample in samples:
            model = getattr(package, f"{camel_case(sample.template)}Context", None)
            if model is None:
                continue  # the package lacks the template: already reported as stale
            errors.extend(_validate(model, sample))
    finally:
        prefix = package.__name__
        for name in [n for n in sys.modules if n == prefix or n.startswith(f"{prefix}.")]:
            del sys.modules[name]
    return errors


def _validate(model: Any, sample: Fixture) -> list[CompileError]:
    from pydantic import ValidationError

    try:
        model.model_validate_json(sample.text)
    except ValidationError as invalid:
        errors = [
            CompileError(
                _locate(sample.path, sample.text, problem["loc"]),
                f"sample context {sample.name!r} of {sample.template!r}: "
                f"{'.'.join(str(part) for part in problem['loc']) or 'context'}: "
                f"{problem['msg']}",
            )
            for problem in invalid.errors()
        ]
        return sorted(errors, key=lambda error: (error.location.line, error.location.column))
    return []


def _locate(path: Path, text: str, loc: tuple[int | str, ...]) -> SourceLocation:
    """Where the value at ``loc`` sits in the JSON ``text`` (its key, or its parent's)."""
    position = 0
    for part in loc:
        if isinstance(part, int):
            continue
        match = re.compile(rf'"{re.escape(part)}"\s*:').search(text, position)
        if match is None:
            break
        position = match.start()
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return SourceLocation(path, line, column)


def _import_package(out: Path) -> ModuleType:
    """Import the generated package in ``out`` under a fresh private name."""
    name = f"_glasswork_email_check_{uuid.uuid4().hex}"
    spec = importlib.util.spec_from_file_location(
        name, out / "__init__.py", submodule_search_locations=[str(out)]
    )
    if spec is None or spec.loader is None:  # pragma: no cover - a folder with __init__.py
        raise ImportError(f"cannot import the generated package in {out}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
