"""Point a lint problem at the ``file:line`` people should edit.

An element the source map locates points at the template, layout or partial line that wrote
it, unless the offending value is in none of the template's files but in the fixture: then it
came from the sample, and the finding points at the fixture's line. A problem without an
element (the subject, the text part) or one the map cannot place points at the first line of
the sources, then of the fixture, that has the offending text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from glasswork_email.lint.findings import Problem
from glasswork_email.lint.source_map import ElementLocator

__all__ = ["locate_problem"]


def _lines(file: Path) -> list[str]:
    try:
        return file.read_text(encoding="utf-8").lower().splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _first_line_with(needles: Sequence[str], files: Sequence[Path]) -> str | None:
    for needle in needles:
        lowered = needle.lower()
        for file in files:
            for number, line in enumerate(_lines(file), start=1):
                if lowered in line:
                    return f"{file}:{number}"
    return None


def locate_problem(
    problem: Problem,
    locator: ElementLocator | None,
    sources: Sequence[Path],
    fixture: Path,
) -> str:
    """Where ``problem`` is: ``file:line``, else the template file.

    Parameters:
        problem: what a check found.
        locator: the rendered email's source map (``None``: search by the needles only).
        sources: the template's files, its own first.
        fixture: the fixture the email was rendered with.
    """
    where = (
        locator.location(problem.element)
        if locator is not None and problem.element is not None
        else None
    )
    if where is None:
        return _first_line_with(problem.needles, [*sources, fixture]) or str(sources[0])
    if problem.needles and _first_line_with(problem.needles, sources) is None:
        from_fixture = _first_line_with(problem.needles, [fixture])
        if from_fixture is not None:
            return from_fixture
    return f"{where.file}:{where.line}"
