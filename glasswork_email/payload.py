"""The base of every generated email payload model (``WelcomeEmail``, ...).

A payload names its template (``template``, the discriminator), its recipients, its typed
``context`` and a few per-message options. Generated modules subclass ``TemplatedEmail`` and add
``template: Literal["..."]`` and ``context: <Template>Context``.

The model enforces at enqueue every rule ``EmailMessage`` enforces later in the worker
(recipients, subject, tags, unsubscribe URL, encodable text), so a caller's mistake is an
error where the caller is, not a dead-lettered job.
"""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from glasswork_email.address import EmailAddress
from glasswork_email.message import check_recipient_count, check_subject, check_tags
from glasswork_email.text_checks import lone_surrogate_paths
from glasswork_email.unsubscribe_headers import validate_unsubscribe_url

__all__ = ["TemplatedEmail"]


class TemplatedEmail(BaseModel):
    """Fields shared by every templated email payload.

    Parameters:
        to: one address or a non-empty list of addresses.
        cc: carbon-copy addresses (default none).
        bcc: blind-copy addresses (default none); to + cc + bcc are at most 50.
        reply_to: Reply-To addresses (default: the service's).
        sender: the From address (default: the service's ``from_``).
        subject: overrides the template's subject when given (non-empty, one line, no bidi
            override controls).
        tags: SES message tags (name → value; 1 to 255 letters, digits, ``_`` or ``-``).
        unsubscribe_url: an absolute ``https`` URL; adds one-click ``List-Unsubscribe`` headers.
        idempotency_key: what makes two sends "the same email" (default: the job id).
        topic: the topic or list the email belongs to (``"newsletter"``): recipients who
            unsubscribed from it are skipped, and a signed one-click unsubscribe link for it is
            added when the service has an ``UnsubscribeLinks`` (default none).
        transactional: ignore topic-scoped suppressions (a password reset still reaches
            someone who left the newsletter); all-mail ones (bounces, complaints) still apply
            (default ``False``).
        locale: the BCP 47 locale to write the email in (``fr-CA``; default: the project's
            default locale); checked when the payload is built, normalised (``fr_ca`` → ``fr-CA``).

    Every string, ``context`` included, must be encodable: a lone surrogate is refused.
    """

    # Deferred: this base is never validated itself, and each generated payload model builds
    # its validator on first use, not while a worker's cold start imports the package.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    to: EmailAddress | list[EmailAddress]
    # Lambdas, not ``list``/``dict``: see ``JobMessage.metadata`` (a builtin factory costs the
    # first email's cold start ~5 ms).
    cc: list[EmailAddress] = Field(default_factory=lambda: [])
    bcc: list[EmailAddress] = Field(default_factory=lambda: [])
    reply_to: list[EmailAddress] | None = None
    sender: EmailAddress | None = None
    subject: str | None = None
    tags: dict[str, str] = Field(default_factory=lambda: {})
    unsubscribe_url: str | None = None
    idempotency_key: str | None = None
    topic: str | None = None
    transactional: bool = False
    locale: str | None = None

    @field_validator("locale")
    @classmethod
    def _well_formed_locale(cls, locale: str | None) -> str | None:
        if locale is None:
            return None
        # imported here: payloads without a locale keep the worker's import path unchanged
        from glasswork_email.i18n.tags import normalize_locale_tag

        return normalize_locale_tag(locale)

    @property
    def recipients(self) -> list[str]:
        """``to`` as a list."""
        return [self.to] if isinstance(self.to, str) else list(self.to)

    @field_validator("subject")
    @classmethod
    def _check_subject(cls, subject: str | None) -> str | None:
        if subject is not None:
            check_subject(subject, refuse_bidi_controls=True)
        return subject

    @field_validator("tags")
    @classmethod
    def _check_tags(cls, tags: dict[str, str]) -> dict[str, str]:
        check_tags(tags)
        return tags

    @field_validator("unsubscribe_url")
    @classmethod
    def _check_unsubscribe_url(cls, url: str | None) -> str | None:
        return None if url is None else validate_unsubscribe_url(url)

    @model_validator(mode="after")
    def _check_message_rules(self) -> Self:
        check_recipient_count(len(self.recipients) + len(self.cc) + len(self.bcc))
        for path in lone_surrogate_paths(self):
            raise ValueError(
                f"{path} holds a lone surrogate (an unpaired UTF-16 half such as '\\udcff'), "
                "which cannot be encoded in an email; send valid Unicode text"
            )
        return self
