"""The base of every generated email payload model (``WelcomeEmail``, ...).

A payload names its template (``template``, the discriminator), its recipients, its typed
``context`` and a few per-message options. Generated modules subclass ``TemplatedEmail`` and add
``template: Literal["..."]`` and ``context: <Template>Context``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from glasswork_email.address import EmailAddress

__all__ = ["TemplatedEmail"]


class TemplatedEmail(BaseModel):
    """Fields shared by every templated email payload.

    Parameters:
        to: one address or a list of addresses.
        cc: carbon-copy addresses (default none).
        bcc: blind-copy addresses (default none).
        reply_to: Reply-To addresses (default: the service's).
        sender: the From address (default: the service's ``from_``).
        subject: overrides the template's subject when given.
        tags: SES message tags (name → value).
        unsubscribe_url: adds one-click ``List-Unsubscribe`` headers when given.
        idempotency_key: what makes two sends "the same email" (default: the job id).
        topic: the topic or list the email belongs to (``"newsletter"``): recipients who
            unsubscribed from it are skipped, and a signed one-click unsubscribe link for it is
            added when the service has an ``UnsubscribeLinks`` (default none).
        transactional: ignore topic-scoped suppressions (a password reset still reaches
            someone who left the newsletter); all-mail ones (bounces, complaints) still apply
            (default ``False``).
        locale: the BCP 47 locale to write the email in (``fr-CA``; default: the project's
            default locale); checked when the payload is built, normalised (``fr_ca`` → ``fr-CA``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    to: EmailAddress | list[EmailAddress]
    cc: list[EmailAddress] = Field(default_factory=list)
    bcc: list[EmailAddress] = Field(default_factory=list)
    reply_to: list[EmailAddress] | None = None
    sender: EmailAddress | None = None
    subject: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)
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
