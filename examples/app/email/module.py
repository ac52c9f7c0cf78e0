"""The email module: SES transport, templated email service, idempotency store, send_email job.

Services are made from the app's settings by factories, so the same module runs against real
AWS and against the demo's local stand-in.
"""

from __future__ import annotations

from examples.app.emails import send_email, templates
from examples.app.settings import AppSettings, config_module
from glasswork import Config, Provider, define_module
from glasswork_email import (
    DynamoDBIdempotencyStore,
    InMemoryIdempotencyStore,
    SESTransport,
    TemplatedEmailService,
)
from glasswork_email.idempotency import IdempotencyStore


def make_templated_email_service(config: Config[AppSettings]) -> TemplatedEmailService:
    """Renders the compiled templates and sends through SES, from the configured sender."""
    settings = config.settings
    transport = SESTransport(
        region=settings.aws_region, configuration_set=settings.ses_configuration_set
    )
    return TemplatedEmailService(transport, templates, from_=settings.sender_email)


def make_idempotency_store(config: Config[AppSettings]) -> IdempotencyStore:
    """DynamoDB when a table is configured (Lambda); in memory otherwise (one process)."""
    table = config.settings.idempotency_table
    if table is None:
        return InMemoryIdempotencyStore()
    return DynamoDBIdempotencyStore(table, region=config.settings.aws_region)


email_module = define_module(
    "email",
    imports=[config_module],
    providers=[
        Provider(provide="templated_email_service", use_factory=make_templated_email_service),
        Provider(provide="idempotency_store", use_factory=make_idempotency_store),
    ],
    exports=["templated_email_service"],
    jobs=[send_email],
)
