"""What lint works with: a check, the problems it reports, and the findings printed for them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from glasswork_email.lint.html_document import Element
from glasswork_email.rendering import RenderedEmail

__all__ = ["Check", "Finding", "LintSubject", "Problem", "Severity"]


class Severity(StrEnum):
    """How much a finding matters: errors fail ``lint``; ``off`` turns a check off."""

    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


@dataclass(frozen=True)
class LintSubject:
    """One email as a recipient gets it: a template rendered with one fixture.

    Parameters:
        template: the template name.
        fixture: the fixture's name (``"default"`` for ``<template>.json``).
        email: the rendered subject, HTML, text and preheader.
        document: the HTML, parsed.
        topic: the subscription topic the template declares (``{#- topic: NAME -#}``), if any.
    """

    template: str
    fixture: str
    email: RenderedEmail
    document: Element
    topic: str | None = None


@dataclass(frozen=True)
class Problem:
    """One problem a check found in one rendered email.

    Parameters:
        message: what is wrong, with the offending value, and what would fix it.
        needles: text to look for in the template's sources (and then its fixture) to point
            at a line: the offending attribute value, colour or URL (default: none, the
            finding points at the template file).
    """

    message: str
    needles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Check:
    """One lint check.

    Parameters:
        id: its id, used in output and in ``[tool.glasswork-email.lint]`` (``"contrast"``).
        summary: one line on what it looks for.
        severity: its severity unless the project changes it.
        run: the check: the problems in one rendered email.
    """

    id: str
    summary: str
    severity: Severity
    run: Callable[[LintSubject], Iterable[Problem]]


@dataclass(frozen=True)
class Finding:
    """One problem as lint reports it: located, with its severity and the fixtures showing it.

    Parameters:
        check: the check's id.
        severity: its severity after the project's configuration.
        message: what is wrong.
        location: ``file:line`` when a line could be found, else the template file.
        template: the template name.
        fixtures: the fixtures whose rendering shows it.
    """

    check: str
    severity: Severity
    message: str
    location: str
    template: str
    fixtures: tuple[str, ...]

    def __str__(self) -> str:
        shown = ", ".join(self.fixtures)
        return (
            f"{self.location}: {self.severity.value} [{self.check}] {self.message} "
            f"(fixture{'s' if len(self.fixtures) > 1 else ''}: {shown})"
        )
