"""What lint works with: a check, the problems it reports, and the findings printed for them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from glasswork_email.lint.html_document import Element
from glasswork_email.lint.inline_images import InlineImage
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
        inline_images: the ``cid:`` images it shows, with the files found for them (default
            none).
    """

    template: str
    fixture: str
    email: RenderedEmail
    document: Element
    topic: str | None = None
    inline_images: tuple[InlineImage, ...] = ()


@dataclass(frozen=True)
class Problem:
    """One problem a check found in one rendered email.

    Parameters:
        message: what is wrong, with the offending value, and what would fix it.
        needles: the offending text (attribute value, colour, URL): where the element cannot
            be mapped to a line, the first line of the sources (then the fixture) that has
            it; a value that came from the fixture points at the fixture's line (default:
            none).
        element: the rendered element at fault, mapped back to the template line that
            wrote it (default: none, located by ``needles`` alone).
    """

    message: str
    needles: tuple[str, ...] = ()
    element: Element | None = None


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
