"""``define_email_module``: the providers and the ``send_email`` job of an app's email, wired."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from glasswork.idempotency.base import IdempotencyStore
from glasswork.jobs.definition import JobDefinition
from glasswork.modules import Module, Provider, define_module
from glasswork_email.job import IDEMPOTENCY_STORE_PROVIDER, TEMPLATED_EMAIL_SERVICE_PROVIDER
from glasswork_email.service import (
    EmailService,
    OnSent,
    TemplatedEmailService,
    TemplateRegistryLike,
)
from glasswork_email.suppression.base import SUPPRESSION_STORE_PROVIDER, SuppressionStore
from glasswork_email.transports.base import Transport

if TYPE_CHECKING:
    from glasswork_email.unsubscribe import UnsubscribeLinks

__all__ = [
    "EMAIL_SERVICE_PROVIDER",
    "EMAIL_TEMPLATES_PROVIDER",
    "EMAIL_TRANSPORT_PROVIDER",
    "SUPPRESSION_STORE_PROVIDER",
    "define_email_module",
]

EMAIL_TRANSPORT_PROVIDER = "email_transport"
"""Provider name of the transport."""

EMAIL_TEMPLATES_PROVIDER = "email_templates"
"""Provider name of the template registry."""

EMAIL_SERVICE_PROVIDER = "email_service"
"""Provider name of the plain ``EmailService`` (for hand-built ``EmailMessage``s)."""


def define_email_module(
    *,
    transport: Transport,
    templates: TemplateRegistryLike,
    from_: str | None = None,
    reply_to: str | Sequence[str] = (),
    on_sent: OnSent | None = None,
    default_tags: Mapping[str, str] | None = None,
    idempotency_store: IdempotencyStore | None = None,
    send_email_job: JobDefinition[Any] | None = None,
    name: str = "email",
    suppression_store: SuppressionStore | None = None,
    unsubscribe_links: UnsubscribeLinks | None = None,
) -> Module:
    """A module providing and exporting ``email_transport``, ``email_templates``,
    ``email_service``, ``templated_email_service`` and (when given) ``idempotency_store``
    and ``suppression_store``, and owning the ``send_email`` job.

    Example::

        email_module = define_email_module(
            transport=SESTransport(region="eu-west-1", configuration_set="transactional"),
            templates=registry,
            from_="Acme <hello@acme.example>",
            idempotency_store=DynamoDBIdempotencyStore("email-idempotency"),
            send_email_job=send_email,
        )
        app = define_module("app", imports=[email_module], providers=[UserService])

    Parameters:
        transport: where messages go (``SESTransport``, ``SMTPTransport``, ``MockTransport``).
        templates: the compiled template registry of the generated package.
        from_: the default sender (default none: every payload must name one).
        reply_to: the default Reply-To addresses (default none).
        on_sent: ``on_sent(result, message)`` after each send; errors logged (default none).
        default_tags: SES tags on every message (default none).
        idempotency_store: deduplicates the ``send_email`` job's sends (default none: a
            redelivered job sends again; use ``DynamoDBIdempotencyStore`` with Lambda).
        send_email_job: the generated package's ``send_email`` job (default none: register it
            in another module).
        name: the module's name (default ``"email"``).
        suppression_store: checked before every templated send, and written by the SES event
            handlers (``define_ses_event_handlers``) (default none: no suppression).
        unsubscribe_links: signs one-click unsubscribe URLs for payloads with a ``topic``
            (default none).
    """

    def make_email_service(email_transport: Transport) -> EmailService:
        return EmailService(email_transport, from_=from_, reply_to=reply_to, on_sent=on_sent)

    def make_templated_email_service(
        email_transport: Transport, email_templates: TemplateRegistryLike
    ) -> TemplatedEmailService:
        return TemplatedEmailService(
            email_transport,
            email_templates,
            from_=from_,
            reply_to=reply_to,
            on_sent=on_sent,
            default_tags=default_tags,
            suppression_store=suppression_store,
            unsubscribe_links=unsubscribe_links,
        )

    providers = [
        Provider(provide=EMAIL_TRANSPORT_PROVIDER, use_value=transport),
        Provider(provide=EMAIL_TEMPLATES_PROVIDER, use_value=templates),
        Provider(provide=EMAIL_SERVICE_PROVIDER, use_factory=make_email_service),
        Provider(
            provide=TEMPLATED_EMAIL_SERVICE_PROVIDER, use_factory=make_templated_email_service
        ),
    ]
    if idempotency_store is not None:
        providers.append(Provider(provide=IDEMPOTENCY_STORE_PROVIDER, use_value=idempotency_store))
    if suppression_store is not None:
        providers.append(Provider(provide=SUPPRESSION_STORE_PROVIDER, use_value=suppression_store))
    return define_module(
        name,
        providers=providers,
        exports=[provider.provide for provider in providers],
        jobs=[send_email_job] if send_email_job is not None else [],
    )
