"""Link checks: insecure, empty and script URLs, and the unsubscribe link of subscription email."""

from __future__ import annotations

from collections.abc import Iterator

from glasswork_email.lint.findings import Check, LintSubject, Problem, Severity
from glasswork_email.lint.html_document import Element

__all__ = ["CHECKS"]

SCRIPT_SCHEMES = ("javascript:", "vbscript:")
"""URL schemes that run code when followed."""


def _links(subject: LintSubject) -> Iterator[Element]:
    for tag in ("a", "area"):
        yield from subject.document.iter(tag)


def _scheme_text(href: str) -> str:
    # Browsers ignore whitespace and control characters inside a scheme: "java\nscript:"
    return "".join(c for c in href if c > " ").lower()


def check_insecure(subject: LintSubject) -> Iterator[Problem]:
    """Links over plain ``http:``: anyone on the network can read or change where they lead."""
    for link in _links(subject):
        href = link.attributes.get("href", "").strip()
        if _scheme_text(href).startswith("http:"):
            yield Problem(f"link {href} uses http:, use https:", (href,), element=link)


def check_empty(subject: LintSubject) -> Iterator[Problem]:
    """Links with no destination: a missing, empty or ``#`` ``href``."""
    for link in _links(subject):
        if "href" not in link.attributes and ("name" in link.attributes or "id" in link.attributes):
            continue  # an anchor to link to, not a link
        href = link.attributes.get("href", "").strip()
        if href in {"", "#"}:
            label = link.text or "(no text)"
            yield Problem(
                f"link {label!r} has an empty href",
                ('href=""', "href='#'", 'href="#"'),
                element=link,
            )


def check_script(subject: LintSubject) -> Iterator[Problem]:
    """Links whose URL runs a script (``javascript:``): never legitimate in an email."""
    for link in _links(subject):
        href = link.attributes.get("href", "")
        if _scheme_text(href).startswith(SCRIPT_SCHEMES):
            yield Problem(
                f"link {href.strip()[:60]!r} runs a script", (href.strip()[:30],), element=link
            )


def _is_unsubscribe(link: Element) -> bool:
    href = link.attributes.get("href", "").strip()
    return bool(href) and ("unsubscribe" in href.lower() or "unsubscribe" in link.text.lower())


def check_unsubscribe(subject: LintSubject) -> Iterator[Problem]:
    """An email that declares a subscription topic without a link to unsubscribe from it."""
    if subject.topic is None:
        return
    if not any(_is_unsubscribe(link) for link in _links(subject)):
        yield Problem(
            f"the email declares the topic {subject.topic!r} but has no unsubscribe link; add "
            '<a href="{{ unsubscribe_url }}">Unsubscribe</a>',
            ("topic:",),
        )


CHECKS = (
    Check("insecure-link", "http: links where https: is expected", Severity.ERROR, check_insecure),
    Check("empty-href", "links with an empty href", Severity.ERROR, check_empty),
    Check("javascript-url", "javascript: URLs", Severity.ERROR, check_script),
    Check(
        "unsubscribe-missing",
        "no unsubscribe link in an email that declares a topic",
        Severity.ERROR,
        check_unsubscribe,
    ),
)
"""The link checks."""
