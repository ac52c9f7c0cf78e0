"""The app's settings, read from environment variables."""

from __future__ import annotations

from pydantic import BaseModel

from glasswork import Config, Provider, define_module


class AppSettings(BaseModel):
    """Everything the app reads from its environment (names are the upper-case field names).

    Plain values only, so a plain model read by ``Config.from_environment`` serves: the worker's
    cold start does without pydantic-settings' import.
    """

    aws_region: str = "us-east-1"
    job_queue_url: str
    dead_letter_queue_url: str | None = None
    scheduler_role_arn: str | None = None
    idempotency_table: str | None = None
    ses_configuration_set: str | None = None
    suppression_table: str | None = None
    """The DynamoDB table of suppressed addresses; without one, they are kept in memory."""
    sender_email: str = "Glasswork Shop <hello@example.com>"
    shop_url: str = "https://shop.example.com"
    crm_outages: int = 0
    """How many CRM calls fail before it answers: the demo sets 1 to show a retried job."""


config_module = define_module(
    "config",
    providers=[
        Provider(provide="config", use_factory=lambda: Config.from_environment(AppSettings))
    ],
    exports=["config"],
)
