"""``EmailService`` sends ``EmailMessage``s; ``TemplatedEmailService`` renders and sends the
generated payload models (``WelcomeEmail(...)``)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast

from glasswork_email.errors import UnknownTemplateError
from glasswork_email.events.tags import IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_TAG, TEMPLATE_TAG
from glasswork_email.message import MAX_TAG_CHARACTERS, EmailMessage, checked_addresses
from glasswork_email.payload import TemplatedEmail
from glasswork_email.suppression.base import Suppression, SuppressionStore, normalise_address
from glasswork_email.transports.base import Transport

if TYPE_CHECKING:
    from glasswork_email.unsubscribe import UnsubscribeLinks

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
        outcome: ``"sent"``, or ``"suppressed"`` when every recipient is suppressed and
            nothing was sent (``message_id`` is then ``""``).
        suppressed: the suppressions that removed recipients (default none).
    """

    message_id: str
    message: EmailMessage
    idempotency_key: str | None = None
    template: str | None = None
    outcome: Literal["sent", "suppressed"] = "sent"
    suppressed: tuple[Suppression, ...] = ()


OnSent = Callable[[SendResult, EmailMessage], object]
"""A hook called after each successful send: ``on_sent(result, message)``; also for an email
not sent because every recipient is suppressed (``result.outcome == "suppressed"``)."""


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

    def render(self, context: Any, /, locale: str | None = ...) -> RenderedEmailLike:
        """Render the template with its typed context, in ``locale`` when given."""
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

    def warm_up(self) -> None:
        """Make the transport's client now, if it has one (the worker calls this at init)."""
        warm_up = getattr(self.transport, "warm_up", None)
        if callable(warm_up):
            warm_up()

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
        suppressed: tuple[Suppression, ...] = (),
    ) -> SendResult:
        """Send ``message`` through the transport; return the provider's message id.

        Parameters:
            message: the email (validated when it was built).
            idempotency_key: recorded in the result and the logs; deduplication itself is the
                ``send_email`` job's, through an idempotency store (default none).
            template: the template the message came from, for the result (default none).
            suppressed: suppressions that already removed recipients, for the result.

        Raises the transport's ``TransientEmailSendError``/``PermanentEmailSendError``, and
        ``InvalidEmailMessageError`` when neither message nor service names a sender.
        """
        message = self.with_defaults(message)
        message_id = self.transport.send(message)
        result = SendResult(
            message_id,
            message,
            idempotency_key=idempotency_key,
            template=template,
            suppressed=suppressed,
        )
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
        tag_template: add the tag ``template=<name>`` to every message and the send's
            idempotency key as the tag ``idempotency_key`` (when SES's tag characters allow)
            and the ``X-Glasswork-Idempotency-Key`` header, so an SES event links back to the
            email and job (``SESEvent.sending_context``) (default ``True``).
        suppression_store: checked before every send, one read per email: suppressed
            recipients are dropped, and an email left with none is not sent (outcome
            ``"suppressed"``) (default none: no check, no read).
        unsubscribe_links: signs a one-click unsubscribe URL for every email whose payload
            declares a ``topic`` and gives no ``unsubscribe_url`` (default none).
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
        suppression_store: SuppressionStore | None = None,
        unsubscribe_links: UnsubscribeLinks | None = None,
    ) -> None:
        super().__init__(transport, from_=from_, reply_to=reply_to, on_sent=on_sent)
        self.templates = templates
        self.default_tags = dict(default_tags or {})
        self.tag_template = tag_template
        self.suppression_store = suppression_store
        self.unsubscribe_links = unsubscribe_links

    def warm_up(self) -> None:
        """Make the transport's and the suppression store's clients now, where they have one
        (the worker calls this at init, so the first email pays for neither)."""
        super().warm_up()
        warm_up = getattr(self.suppression_store, "warm_up", None)
        if callable(warm_up):
            warm_up()

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
        context = getattr(payload, "context", None)
        if payload.locale is None:
            rendered = template.render(context)
        else:
            rendered = template.render(context, locale=payload.locale)
        tags = dict(self.default_tags)
        if self.tag_template:
            tags[TEMPLATE_TAG] = name
        tags.update(payload.tags)
        unsubscribe_url = payload.unsubscribe_url
        if unsubscribe_url is None and payload.topic and self.unsubscribe_links is not None:
            # One link per message: it unsubscribes the first To recipient (bulk mail has one).
            first = (payload.recipients or [*payload.cc, *payload.bcc])[0]
            unsubscribe_url = self.unsubscribe_links.url_for(first, payload.topic)
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
            unsubscribe_url=unsubscribe_url,
        )
        return self.with_defaults(message)

    def send(self, payload: TemplatedEmail, *, idempotency_key: str | None = None) -> SendResult:
        """Render ``payload`` with its template and send it.

        Parameters:
            payload: a generated payload model, e.g. ``WelcomeEmail(to=..., context=...)``.
            idempotency_key: recorded in the result and the logs (default: the payload's
                ``idempotency_key``).

        Raises ``UnknownTemplateError``, ``InvalidEmailMessageError`` (both permanent) or the
        transport's errors, and ``SuppressionStoreError`` (transient) when the store cannot be
        read. When every recipient is suppressed nothing is sent and the result's ``outcome``
        is ``"suppressed"``: not an error, so the job neither retries nor dead-letters.
        """
        key = idempotency_key or payload.idempotency_key
        template = _template_name(payload)
        suppressed = self.suppressions_for(payload)
        if suppressed:
            kept = _without(payload, suppressed)
            if kept is None:
                return self._suppressed(payload, key, template, suppressed)
            payload = kept
        message = self._with_sending_context(self.render(payload), key)
        return self.send_message(
            message,
            idempotency_key=key,
            template=template,
            suppressed=tuple(suppressed.values()),
        )

    def suppressions_for(self, payload: TemplatedEmail) -> dict[str, Suppression]:
        """The suppressions that apply to ``payload``'s recipients (normalised address →
        suppression), in one store read; none without a store.

        A transactional payload ignores topic-scoped ones.
        """
        if self.suppression_store is None:
            return {}
        topic = None if payload.transactional else payload.topic
        return self.suppression_store.find(_all_recipients(payload), topic=topic)

    def _suppressed(
        self,
        payload: TemplatedEmail,
        key: str | None,
        template: str,
        suppressed: dict[str, Suppression],
    ) -> SendResult:
        message = self.render(payload)
        result = SendResult(
            "",
            message,
            idempotency_key=key,
            template=template,
            outcome="suppressed",
            suppressed=tuple(suppressed.values()),
        )
        logger.info(
            "email not sent (template %s, key %s): every recipient is suppressed (%s)",
            template,
            key,
            ", ".join(f"{s.address}: {s.reason.value}" for s in suppressed.values()),
        )
        self._notify(result, message)
        return result

    def _with_sending_context(self, message: EmailMessage, key: str | None) -> EmailMessage:
        if not self.tag_template or not key:
            return message
        tags = dict(message.tags)
        if _TAG_VALUE.fullmatch(key) and len(key) <= MAX_TAG_CHARACTERS:
            tags[IDEMPOTENCY_KEY_TAG] = key
        headers = dict(message.headers)
        if _HEADER_VALUE.fullmatch(key):
            headers[IDEMPOTENCY_KEY_HEADER] = key
        return replace(message, tags=tags, headers=headers)


_TAG_VALUE = re.compile(r"[A-Za-z0-9_-]+")
_HEADER_VALUE = re.compile(r"[ -~]{1,900}")


def _all_recipients(payload: TemplatedEmail) -> list[str]:
    return [*payload.recipients, *payload.cc, *payload.bcc]


def _without(
    payload: TemplatedEmail, suppressed: Mapping[str, Suppression]
) -> TemplatedEmail | None:
    """``payload`` without its suppressed recipients; ``None`` when none remain."""

    def kept(addresses: Sequence[str]) -> list[str]:
        return [a for a in addresses if normalise_address(a) not in suppressed]

    to, cc, bcc = kept(payload.recipients), kept(payload.cc), kept(payload.bcc)
    if not (to or cc or bcc):
        return None
    return payload.model_copy(update={"to": to, "cc": cc, "bcc": bcc})


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
