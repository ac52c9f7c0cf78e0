"""What the worker does to a queue when a job fails: ``QueueActions`` and its SQS implementation.

An interface so the test helper (``glasswork.testing.drain``) can run the real worker path
against an in-memory queue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from glasswork.worker.dead_letter import DeadLetter
    from glasswork.worker.events import SQSRecord
    from glasswork.worker.sqs import SQSConnection

__all__ = ["QueueActions", "SQSQueueActions"]


class QueueActions(Protocol):
    """The queue operations behind retries and dead-lettering; each raises when it fails."""

    def postpone(self, record: SQSRecord, delay_seconds: int) -> None:
        """Make the record's message visible again in ``delay_seconds`` seconds."""
        ...

    def dead_letter(self, record: SQSRecord, letter: DeadLetter) -> None:
        """Put a copy of the record's message on its dead-letter queue, with ``letter``'s reason.

        Raises ``NoDeadLetterQueueError`` when there is no dead-letter queue.
        """
        ...


class SQSQueueActions:
    """``QueueActions`` on real SQS: ``ChangeMessageVisibility`` and ``SendMessage`` to the DLQ.

    Parameters:
        connection: the worker's SQS connection (client and URL caches).
    """

    def __init__(self, connection: SQSConnection) -> None:
        self.connection = connection

    def postpone(self, record: SQSRecord, delay_seconds: int) -> None:
        """Set the message's visibility timeout to ``delay_seconds``."""
        # Only a failed record comes here: retry.py is imported with the first one.
        from glasswork.worker.retry import postpone_message

        postpone_message(self.connection, record, delay_seconds)

    def dead_letter(self, record: SQSRecord, letter: DeadLetter) -> None:
        """Send the message to the DLQ discovered from the source queue (or configured)."""
        from glasswork.worker.dead_letter import send_to_dead_letter_queue

        send_to_dead_letter_queue(self.connection, record, letter)
