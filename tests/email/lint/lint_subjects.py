"""Build a ``LintSubject`` from HTML written in a test, and run one check on it."""

from __future__ import annotations

from pathlib import Path

from glasswork_email.lint import ALL_CHECKS, LintSubject, Problem
from glasswork_email.lint.html_document import parse_html
from glasswork_email.lint.inline_images import find_inline_images
from glasswork_email.rendering import RenderedEmail

__all__ = ["problems", "subject_of"]


def subject_of(
    html: str,
    *,
    subject: str = "Hello",
    text: str = "Hello\n",
    topic: str | None = None,
    folder: Path | None = None,
) -> LintSubject:
    """A rendered email with this HTML (and subject, text, topic; ``cid:`` images found in
    ``folder``)."""
    email = RenderedEmail(subject=subject, html=html, text=text)
    document = parse_html(html)
    images = tuple(find_inline_images(document, folder))
    return LintSubject("sample", "default", email, document, topic, images)


def problems(
    check_id: str, html: str, *, folder: Path | None = None, **options: str | None
) -> list[Problem]:
    """The problems the check ``check_id`` finds in ``html``."""
    (check,) = [check for check in ALL_CHECKS if check.id == check_id]
    return list(check.run(subject_of(html, folder=folder, **options)))  # type: ignore[arg-type]
