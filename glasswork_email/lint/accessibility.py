"""Accessibility checks: what a screen reader needs to read an email sensibly."""

from __future__ import annotations

from collections.abc import Iterator

from glasswork_email.lint.findings import Check, LintSubject, Problem, Severity

__all__ = ["CHECKS"]


def check_image_alt(subject: LintSubject) -> Iterator[Problem]:
    """Images without an ``alt`` attribute (``alt=""`` marks a decorative one and is fine)."""
    for image in subject.document.iter("img"):
        if "alt" not in image.attributes:
            source = image.attributes.get("src", "")
            yield Problem(
                f'image {source or "(no src)"} has no alt text; describe it, or alt="" '
                "when it is decoration",
                (source,) if source else ("<img", "<mj-image"),
                element=image,
            )


def check_lang(subject: LintSubject) -> Iterator[Problem]:
    """A root ``<html>`` without a ``lang`` attribute (screen readers pick a voice by it)."""
    roots = list(subject.document.iter("html"))
    if not roots or not roots[0].attributes.get("lang", "").strip():
        yield Problem(
            'the root element has no lang attribute: <mjml lang="en"> or <html lang="en">',
            ("<mjml", "<html"),
        )


def check_table_role(subject: LintSubject) -> Iterator[Problem]:
    """Layout tables not marked ``role="presentation"`` (read out as data, cell by cell).

    A table with header cells (``<th>``) or a ``<caption>`` is a data table and is left alone.
    """
    for table in subject.document.iter("table"):
        if "role" in table.attributes:
            continue
        if any(True for _ in table.iter("th")) or any(True for _ in table.iter("caption")):
            continue
        yield Problem(
            'a layout table has no role="presentation"; add it (or <th> cells if it holds data)',
            ("<table",),
            element=table,
        )


CHECKS = (
    Check("img-alt", "images without alt text", Severity.ERROR, check_image_alt),
    Check("html-lang", "no lang attribute on the root element", Severity.ERROR, check_lang),
    Check(
        "table-role",
        'layout tables without role="presentation"',
        Severity.WARNING,
        check_table_role,
    ),
)
"""The accessibility checks."""
