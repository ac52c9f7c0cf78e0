"""Build a ``LintSubject`` from HTML written in a test, and run one check on it."""

from __future__ import annotations

from glasswork_email.lint import ALL_CHECKS, LintSubject, Problem
from glasswork_email.lint.html_document import parse_html
from glasswork_email.rendering import RenderedEmail

__all__ = ["problems", "subject_of"]


def subject_of(
    html: str, *, subject: str = "Hello", text: str = "Hello\n", topic: str | None = None
) -> LintSubject:
    """A rendered email with this HTML (and subject, text, topic)."""
    email = RenderedEmail(subject=subject, html=html, text=text)
    return LintSubject("sample", "default", email, parse_html(html), topic)


def problems(check_id: str, html: str, **options: str | None) -> list[Problem]:
    """The problems the check ``check_id`` finds in ``html``."""
    (check,) = [check for check in ALL_CHECKS if check.id == check_id]
    return list(check.run(subject_of(html, **options)))  # type: ignore[arg-type]
