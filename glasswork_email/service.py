"""``EmailService`` sends ``EmailMessage``s; ``TemplatedEmailService`` renders and sends the
generated payload models (``WelcomeEmail(...)``)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol, cast

from glasswork_email.errors import UnknownTemplateError
from glasswork_email.message import EmailMessage, checked_addresses
from glasswork_email.payload import TemplatedEmail
from glasswork_email.transports.base import Transport

__all__ = [
    "EmailService",
    "OnSent",
    "RenderedEmailLike",
    "SendResult",
    "TemplateLike",
    "TemplateRegistryLike",
    "TemplatedEmailService",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendResult:
    """What a send produced.

    Parameters:
        message_id: the provider's id for the message (SES message id, SMTP Message-ID).
        message: the message as sent (sender and defaults filled in).
        idempotency_key: the key the send was made under, when one was given.
        template: the template's name, for templated sends.
    """

    message_id: str
    message: EmailMessage
    idempotency_key: str | None = None
    template: str | None = None


OnSent = Callable[[SendResult, EmailMessage], object]
"""A hook called after each successful send: ``on_sent(result, message)``."""


class RenderedEmailLike(Protocol):
    """What the service needs of a rendered template (``rendering.RenderedEmail``)."""

    @property
    def subject(self) -> str: ...

    @property
    def html(self) -> str: ...

    @property
    def text(self) -> str: ...


class TemplateLike(Protocol):
    """What the service needs of a compiled template (``CompiledTemplate``)."""

    def render(self, context: Any, /) -> RenderedEmailLike:
        """Render the template with its typed context."""
        ...


class TemplateRegistryLike(Protocol):
    """What the service needs of a template registry (``TemplateRegistry``).

    ``get`` may raise ``LookupError`` (``KeyError``) for an unknown name; the service turns
    that into ``UnknownTemplateError``.
    """

    def get(self, name: str, /) -> TemplateLike:
        """The compiled template called ``name``."""
        ...


class EmailService:
    """Sends ``EmailMessage``s through a transport, filling in the sender and Reply-To.

    Parameters:
        transport: where messages go (``SESTransport``, ``SMTPTransport``, ``MockTransport``).
        from_: the sender used when a message has none (default none: messages must have one).
        reply_to: Reply-To addresses used when a message has none (default none).
        on_sent: ``on_sent(result, message)`` called after each successful send; its errors
            are logged, never raised, since the email is already gone (default none).
    """

    def __init__(
        self,
        transport: Transport,
        *,
        from_: str | None = None,
        reply_to: str | Sequence[str] = (),
        on_sent: OnSent | None = None,
    ) -> None:
        self.transport = transport
        # Checked once here, so a bad default fails at start-up rather than on every send.
        self.from_ = None if from_ is None else checked_addresses("from_", from_)[0]
        self.reply_to = checked_addresses("reply_to", reply_to)
        self.on_sent = on_sent

    def __repr__(self) -> str:
        return f"{type(self).__name__}(transport={self.transport!r}, from_={self.from_!r})"

    def with_defaults(self, message: EmailMessage) -> EmailMessage:
        """``message`` with the service's sender and Reply-To where it has none."""
        changes: dict[str, Any] = {}
        if message.from_ is None and self.from_ is not None:
            changes["from_"] = self.from_
        if not message.reply_to and self.reply_to:
            changes["reply_to"] = self.reply_to
        return replace(message, **changes) if changes else message

    def send_message(
        self,
        message: EmailMessage,
        *,
        idempotency_key: str | None = None,
        template: str | None = None,
    ) -> SendResult:
        """Send ``message`` through the transport; return the provider's message id.

        Parameters:
            message: the email (validated when it was built).
            idempotency_key: recorded in the result and the logs; deduplication itself is the
                ``send_email`` job's, through an idempotency store (default none).
            template: the template the message came from, for the result (default none).

        Raises the transport's ``TransientEmailSendError``/``PermanentEmailSendError``, and
        ``InvalidEmailMessageError`` when neither message nor service names a sender.
        """
        message = self.with_defaults(message)
        message_id = self.transport.send(message)
        result = SendResult(message_id, message, idempotency_key=idempotency_key, template=template)
        logger.info(
            "sent email %s (template %s, key %s) to %d recipient(s)",
            message_id,
            template,
            idempotency_key,
            len(message.recipients),
        )
        self._notify(result, message)
        return result

    def _notify(self, result: SendResult, message: EmailMessage) -> None:
        if self.on_sent is None:
            return
        try:
            self.on_sent(result, message)
        except Exception:
            logger.exception(
                "on_sent hook failed for email %s; the email was sent", result.message_id
            )


class TemplatedEmailService(EmailService):
    """Renders a generated payload model (``WelcomeEmail(...)``) with its template and sends it.

    Parameters:
        transport: where messages go.
        templates: the compiled templates (``TemplateRegistry``; anything with
            ``get(name).render(context)``).
        from_: the sender used when a payload gives no ``sender`` (default none).
        reply_to: Reply-To addresses used when a payload gives none (default none).
        on_sent: ``on_sent(result, message)`` after each send; errors logged (default none).
        default_tags: SES tags added to every message; a payload's own tags win (default none).
        tag_template: add the tag ``template=<name>`` to every message, so SES events can be
            grouped by template (default ``True``).
    """

    def __init__(
        self,
        transport: Transport,
        templates: TemplateRegistryLike,
        *,
        from_: str | None = None,
        reply_to: str | Sequence[str] = (),
        on_sent: OnSent | None = None,
        default_tags: Mapping[str, str] | None = None,
        tag_template: bool = True,
    ) -> None:
        super().__init__(transport, from_=from_, reply_to=reply_to, on_sent=on_sent)
        self.templates = templates
        self.default_tags = dict(default_tags or {})
        self.tag_template = tag_template

    def render(self, payload: TemplatedEmail) -> EmailMessage:
        """The ``EmailMessage`` ``payload`` becomes, without sending it.

        The subject is the template's unless ``payload.subject`` overrides it; sender and
        Reply-To come from the payload, else the service.
        """
        name = _template_name(payload)
        try:
            template = self.templates.get(name)
        except LookupError:
            raise UnknownTemplateError(name, _known_names(self.templates)) from None
        rendered = template.render(getattr(payload, "context", None))
        tags = dict(self.default_tags)
        if self.tag_template:
            tags["template"] = name
        tags.update(payload.tags)
        message = EmailMessage(
            to=payload.recipients,
            cc=payload.cc,
            bcc=payload.bcc,
            reply_to=payload.reply_to or (),
            from_=payload.sender,
            subject=payload.subject or rendered.subject,
            html=rendered.html,
            text=rendered.text,
            tags=tags,
            unsubscribe_url=payload.unsubscribe_url,
        )
        return self.with_defaults(message)

    def send(self, payload: TemplatedEmail, *, idempotency_key: str | None = None) -> SendResult:
        """Render ``payload`` with its template and send it.

        Parameters:
            payload: a generated payload model, e.g. ``WelcomeEmail(to=..., context=...)``.
            idempotency_key: recorded in the result and the logs (default: the payload's
                ``idempotency_key``).

        Raises ``UnknownTemplateError``, ``InvalidEmailMessageError`` (both permanent) or the
        transport's errors.
        """
        message = self.render(payload)
        return self.send_message(
            message,
            idempotency_key=idempotency_key or payload.idempotency_key,
            template=_template_name(payload),
        )


def _known_names(templates: TemplateRegistryLike) -> tuple[str, ...]:
    names = getattr(templates, "names", None)
    if not callable(names):
        return ()
    listed = cast("Iterable[object]", names())
    return tuple(str(name) for name in listed)


def _template_name(payload: TemplatedEmail) -> str:
    name = getattr(payload, "template", None)
    if not isinstance(name, str):
        raise TypeError(
            f"{type(payload).__name__} has no 'template' name; pass a generated payload model "
            "(a TemplatedEmail subclass with template: Literal[...])"
        )
    return name
