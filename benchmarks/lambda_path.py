"""A folder shaped like the worker's Lambda package, for benchmarks that start fresh processes.

A deployed function's ``sys.path`` holds its package (the distributions of
``examples/app/deploy/requirements.txt`` and what they require, as ``sam build`` installs them)
and the runtime's few, not the development environment's hundred-odd distributions. That
matters to a cold start: pydantic's first model looks for plugins in the entry points of every
installed distribution, and that scan costs several times more in the development environment
than in the function.

``lambda_shaped_folder`` links (symlinks, no copies, so it takes a moment) the installed files
of exactly those distributions into a folder. ``PYTHON``, in ``lambda_shaped_environment``,
runs Python on that folder with no site-packages and the project's source after the folder, as
the function's package has it.
"""

from __future__ import annotations

import importlib.metadata
import os
import sys
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "examples" / "app" / "deploy" / "requirements.txt"


def runtime_distributions(
    requirements: Path = REQUIREMENTS,
) -> list[importlib.metadata.Distribution]:
    """The installed distributions ``requirements`` names, and those they require (no extras)."""
    pending = [
        Requirement(line).name
        for line in requirements.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    found: dict[str, importlib.metadata.Distribution] = {}
    while pending:
        name = pending.pop()
        key = name.lower().replace("_", "-")
        if key in found:
            continue
        distribution = importlib.metadata.distribution(name)
        found[key] = distribution
        for text in distribution.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(requirement.name)
    return sorted(found.values(), key=lambda distribution: distribution.metadata["Name"].lower())


def lambda_shaped_folder(folder: Path) -> list[str]:
    """Link the runtime distributions' installed files into ``folder``; their names, sorted."""
    folder.mkdir(parents=True, exist_ok=True)
    names: list[str] = []
    for distribution in runtime_distributions():
        names.append(distribution.metadata["Name"])
        site = Path(str(distribution.locate_file("")))
        tops = {Path(str(file)).parts[0] for file in distribution.files or []}
        for top in sorted(tops - {"..", "__pycache__"}):
            link = folder / top
            if not link.exists() and (site / top).exists():
                link.symlink_to(site / top)
    return names


PYTHON = (sys.executable, "-S")
"""The interpreter without site-packages: with ``lambda_shaped_environment``, the folder's
distributions are the only ones it finds."""


def lambda_shaped_environment(folder: Path, environment: dict[str, str]) -> dict[str, str]:
    """``environment`` with ``PYTHONPATH`` set to ``folder`` and then the project's source."""
    return {**environment, "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)])}
