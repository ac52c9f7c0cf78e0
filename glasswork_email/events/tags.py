"""The SES tags and header a sent message carries so that its events lead back to it.

``TemplatedEmailService`` writes them when it sends; ``SESMail.sending_context`` reads them
back from an event. They live apart from the event models so that the sending path imports
these names and not the models.
"""

from __future__ import annotations

__all__ = [
    "CONFIGURATION_SET_TAG",
    "IDEMPOTENCY_KEY_HEADER",
    "IDEMPOTENCY_KEY_TAG",
    "TEMPLATE_TAG",
]

TEMPLATE_TAG = "template"
"""The SES tag naming the template a message was rendered from."""

IDEMPOTENCY_KEY_TAG = "idempotency_key"
"""The SES tag holding the send's idempotency key, when it fits SES's tag characters."""

IDEMPOTENCY_KEY_HEADER = "X-Glasswork-Idempotency-Key"
"""The header holding the send's idempotency key, always."""

CONFIGURATION_SET_TAG = "ses:configuration-set"
"""The tag SES itself adds naming the configuration set a message went through."""
