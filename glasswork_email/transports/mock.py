"""``MockTransport``: records messages instead of sending them, for users' tests."""

from __future__ import annotations

import itertools
import logging
import threading

from glasswork_email.message import EmailMessage, bare_address
from glasswork_email.transports.base import require_sender

__all__ = ["MockTransport"]

logger = logging.getLogger(__name__)


class MockTransport:
    """A transport that keeps what it is given, for tests. Thread-safe.

    Messages are checked as a real transport checks them (a sender is required), and each gets
    a message id ``mock-1``, ``mock-2``, ...

    Example::

        transport = MockTransport()
        service = EmailService(transport, from_="app@example.com")
        service.send_message(EmailMessage(to="ann@example.com", subject="Hi", text="..."))
        assert transport.last.subject == "Hi"
        assert transport.sent_to("ann@example.com")

    Parameters:
        (none)
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sent: list[EmailMessage] = []
        self._message_ids: list[str] = []
        self._failures: list[BaseException] = []
        self._counter = itertools.count(1)

    def send(self, message: EmailMessage) -> str:
        """Record ``message`` and return its id, or raise the next simulated failure."""
        require_sender(message)
        with self._lock:
            if self._failures:
                raise self._failures.pop(0)
            message_id = f"mock-{next(self._counter)}"
            self._sent.append(message)
            self._message_ids.append(message_id)
        logger.debug("mock transport recorded %s to %s", message_id, message.recipients)
        return message_id

    @property
    def sent(self) -> list[EmailMessage]:
        """Every message sent so far, oldest first (a copy)."""
        with self._lock:
            return list(self._sent)

    @property
    def message_ids(self) -> list[str]:
        """The ids returned for ``sent``, in the same order (a copy)."""
        with self._lock:
            return list(self._message_ids)

    @property
    def last(self) -> EmailMessage | None:
        """The most recently sent message, or ``None`` when nothing was sent."""
        with self._lock:
            return self._sent[-1] if self._sent else None

    def sent_to(self, address: str) -> list[EmailMessage]:
        """Messages with ``address`` among their to, cc or bcc (case-insensitive)."""
        wanted = bare_address(address)
        return [
            message
            for message in self.sent
            if any(bare_address(recipient) == wanted for recipient in message.recipients)
        ]

    def simulate_failure(self, error: BaseException, *, times: int = 1) -> None:
        """Make the next ``times`` sends raise ``error`` instead of recording the message.

        Parameters:
            error: the exception to raise, e.g. ``TransientEmailSendError(..., transport="mock")``.
            times: how many sends fail (default 1).
        """
        if times < 1:
            raise ValueError(f"times must be >= 1, got {times}")
        with self._lock:
            self._failures.extend([error] * times)

    def clear(self) -> None:
        """Forget sent messages and pending simulated failures."""
        with self._lock:
            self._sent.clear()
            self._message_ids.clear()
            self._failures.clear()
