"""Dead-letter queues for operators: list, show and redrive what the worker dead-lettered.

The ``glasswork dlq`` command is built on these; they take a boto3 SQS client and queue URLs.
"""

from glasswork.dlq.messages import (
    DeadLetterFilter,
    DeadLetterMessage,
    dead_letter_message,
    received_dead_letters,
)
from glasswork.dlq.redrive import RedriveReport, redrive_dead_letters

__all__ = [
    "DeadLetterFilter",
    "DeadLetterMessage",
    "RedriveReport",
    "dead_letter_message",
    "received_dead_letters",
    "redrive_dead_letters",
]
