"""The email module: SES transport, templated email service, idempotency and suppression
stores, the send_email job and the ses-event job.

Services are made from the app's settings by factories, so the same module runs against real
AWS and against the demo's local stand-in.
"""

from __future__ import annotations

from examples.app.email.ses_events import ses_events
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
from glasswork_email.suppression import (
    DynamoDBSuppressionStore,
    InMemorySuppressionStore,
    SuppressionStore,
)


def make_suppression_store(config: Config[AppSettings]) -> SuppressionStore:
    """DynamoDB when a table is configured (Lambda); in memory otherwise (one process)."""
    table = config.settings.suppression_table
    if table is None:
        return InMemorySuppressionStore()
    return DynamoDBSuppressionStore(table, region=config.settings.aws_region)


def make_templated_email_service(
    config: Config[AppSettings], suppression_store: SuppressionStore
) -> TemplatedEmailService:
    """Renders the compiled templates and sends through SES, from the configured sender,
    skipping suppressed addresses."""
    settings = config.settings
    transport = SESTransport(
        region=settings.aws_region, configuration_set=settings.ses_configuration_set
    )
    return TemplatedEmailService(
        transport, templates, from_=settings.sender_email, suppression_store=suppression_store
    )


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
        Provider(provide="suppression_store", use_factory=make_suppression_store),
    ],
    exports=["templated_email_service", "suppression_store"],
    jobs=[send_email, ses_events],
)
