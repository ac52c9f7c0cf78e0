"""The error classes of the email package, each naming what to fix.

Errors a retry cannot cure (an invalid message, a rejected sender) are ``PermanentJobError``s and
errors a retry can cure (throttling, a provider outage) are ``TransientJobError``s, so the
``send_email`` job needs no translation table: the worker dead-letters or retries them as they are.
"""

from __future__ import annotations

from glasswork.jobs.errors import IdempotencyStoreError, PermanentJobError, TransientJobError

__all__ = [
    "EmailError",
    "EmailSendError",
    "EmailSendOutcomeUnknownError",
    "IdempotencyStoreError",
    "InvalidEmailMessageError",
    "PermanentEmailSendError",
    "SuppressionStoreError",
    "TransientEmailSendError",
    "UnknownTemplateError",
]


class EmailError(Exception):
    """Base class of every error raised by ``glasswork_email``."""


class InvalidEmailMessageError(EmailError, PermanentJobError, ValueError):
    """An email message is invalid; raised before any call to a provider.

    Parameters:
        field: the message field at fault (``"to"``, ``"subject"``, ``"headers"``, ...).
        problem: what is wrong with it and what is expected.
    """

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"email message field {field!r}: {problem}")
        self.field = field
        self.problem = problem


class UnknownTemplateError(EmailError, PermanentJobError, LookupError):
    """A payload names a template the service's registry does not have.

    Parameters:
        template: the name asked for.
        known: the names the registry has, when it can list them.
    """

    def __init__(self, template: str, known: tuple[str, ...] = ()) -> None:
        hint = f"; known templates: {', '.join(known)}" if known else ""
        super().__init__(f"no email template named {template!r}{hint}")
        self.template = template
        self.known = known


class EmailSendError(EmailError):
    """A transport could not hand a message to its provider.

    Parameters:
        message: what went wrong, with the provider's own words.
        transport: the transport's name (``"ses"``, ``"smtp"``, ``"mock"``).
        code: the provider's error code (``"MessageRejected"``, ``"421"``), when there is one.
    """

    def __init__(self, message: str, *, transport: str, code: str | None = None) -> None:
        super().__init__(message)
        self.transport = transport
        self.code = code


class TransientEmailSendError(EmailSendError, TransientJobError):
    """Sending failed for a reason that may pass (throttling, an outage): retry later.

    Parameters:
        message: what went wrong.
        transport: the transport's name.
        code: the provider's error code, when there is one.
        retry_after: seconds to wait before retrying; ``None`` lets the job's policy choose.
    """

    def __init__(
        self,
        message: str,
        *,
        transport: str,
        code: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        EmailSendError.__init__(self, message, transport=transport, code=code)
        if retry_after is not None and retry_after < 0:
            raise ValueError(f"retry_after must be >= 0 seconds, got {retry_after}")
        self.retry_after = retry_after


class EmailSendOutcomeUnknownError(TransientEmailSendError):
    """The request reached the provider but its answer was lost (connection closed or timed
    out after the request was sent): the message may or may not have been sent.

    Transports never retry such a send themselves; the ``send_email`` job applies its
    ``on_unknown_outcome`` policy (resend once after the lease, or dead-letter).

    Parameters:
        message: what went wrong.
        transport: the transport's name.
    """

    def __init__(self, message: str, *, transport: str) -> None:
        super().__init__(message, transport=transport, code="OutcomeUnknown")


class PermanentEmailSendError(EmailSendError, PermanentJobError):
    """The provider refused the message for good (rejected content, unverified sender, bad
    address): retrying would fail the same way.

    Parameters:
        message: what went wrong.
        transport: the transport's name.
        code: the provider's error code, when there is one.
    """


class SuppressionStoreError(EmailError, TransientJobError):
    """The suppression store could not be read or written; the job is retried rather than
    risk mailing a suppressed address.

    Parameters:
        message: what failed, with the store's own words.
    """
