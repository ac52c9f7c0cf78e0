"""The ``Transport`` protocol: the one method a mail provider backend implements."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from glasswork_email.errors import InvalidEmailMessageError
from glasswork_email.message import EmailMessage

__all__ = ["Transport", "require_sender"]


@runtime_checkable
class Transport(Protocol):
    """Hands a validated ``EmailMessage`` to a mail provider.

    ``send`` returns the provider's message id. It raises ``TransientEmailSendError`` (a
    ``TransientJobError``) when a retry may succeed and ``PermanentEmailSendError`` (a
    ``PermanentJobError``) when it cannot; ``InvalidEmailMessageError`` before any call when
    the message has no sender.
    """

    def send(self, message: EmailMessage) -> str:
        """Send ``message``; return the provider's message id."""
        ...


def require_sender(message: EmailMessage) -> str:
    """``message.from_``, or ``InvalidEmailMessageError`` when there is none."""
    if message.from_ is None:
        raise InvalidEmailMessageError(
            "from_", "the message has no sender: set from_ on the message or on the EmailService"
        )
    return message.from_
