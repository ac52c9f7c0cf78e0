"""Text checks: the plain-text part and the subject line."""

from __future__ import annotations

from collections.abc import Iterator

from glasswork_email.lint.findings import Check, LintSubject, Problem, Severity

__all__ = ["CHECKS", "SUBJECT_MAX_CHARACTERS"]

SUBJECT_MAX_CHARACTERS = 78
"""Subjects longer than this are cut off in most inboxes (and RFC 5322's line length)."""


def check_text_part(subject: LintSubject) -> Iterator[Problem]:
    """An email whose plain-text part is empty: spam filters and text-only readers mind."""
    if not subject.email.text.strip():
        yield Problem(
            "the plain-text part is empty; write a sibling .txt or put text in the HTML",
            ("<mj-body", "<body"),
        )


def check_subject_length(subject: LintSubject) -> Iterator[Problem]:
    """A subject longer than ``SUBJECT_MAX_CHARACTERS``."""
    length = len(subject.email.subject)
    if length > SUBJECT_MAX_CHARACTERS:
        yield Problem(
            f"the subject is {length} characters, over {SUBJECT_MAX_CHARACTERS}: inboxes cut "
            f"it off ({subject.email.subject[:40]!r}...)",
            ("<mj-title", "<title", "block subject"),
        )


def check_subject_empty(subject: LintSubject) -> Iterator[Problem]:
    """An empty subject (after rendering with this fixture)."""
    if not subject.email.subject.strip():
        yield Problem(
            "the subject is empty with this fixture", ("<mj-title", "<title", "block subject")
        )


CHECKS = (
    Check("no-text-part", "an email with no plain-text part", Severity.ERROR, check_text_part),
    Check(
        "subject-length",
        f"a subject longer than {SUBJECT_MAX_CHARACTERS} characters",
        Severity.WARNING,
        check_subject_length,
    ),
    Check("subject-empty", "an empty subject", Severity.ERROR, check_subject_empty),
)
"""The text and subject checks."""
