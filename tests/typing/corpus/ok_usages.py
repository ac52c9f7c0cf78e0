"""Correct usages of a generated package: mypy --strict and pyright accept every line."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import TypeVar

from emails import (
    AnyEmail,
    LoginCodeContext,
    LoginCodeEmail,
    OrderConfirmationContext,
    OrderConfirmationItem,
    TemplateName,
    WelcomeContext,
    WelcomeEmail,
    WelcomeGettingStartedItem,
    WelcomeUser,
    email_payload,
    send_email,
    templates,
)

from glasswork.jobs.definition import JobDefinition
from glasswork_email.rendering import CompiledTemplate, RenderedEmail

P = TypeVar("P")


def enqueue(job: JobDefinition[P], payload: P) -> None:
    """The shape of ``JobService.enqueue``: the payload type comes from the job."""


user = WelcomeUser(first_name="Ann", is_beta_tester=True)
steps = [WelcomeGettingStartedItem(title="Invite your team", url="https://app.example/invite")]
dashboard = "https://app.example"
welcome_context = WelcomeContext(user=user, dashboard_url=dashboard, getting_started=steps)
welcome = WelcomeEmail(to="ann@example.com", context=welcome_context, tags={"kind": "welcome"})
enqueue(send_email, welcome)
login = LoginCodeContext(code="1", valid_minutes="5")
enqueue(send_email, LoginCodeEmail(to=["a@example.com"], context=login))

rendered: RenderedEmail = templates.welcome.render(welcome_context)
template: CompiledTemplate[OrderConfirmationContext] = templates.order_confirmation
item = OrderConfirmationItem(name="Mouse", price=Decimal("24.99"))
total = Decimal("24.99")
placed_at = datetime(2026, 3, 1, tzinfo=UTC)
order = OrderConfirmationContext(
    order_number="1",
    total=total,
    tracking_url="u",
    items=[item],
    currency="EUR",
    placed_at=placed_at,
)
name: TemplateName = "password_reset"
raw = {
    "to": "a@example.com",
    "template": "login_code",
    "context": {"code": "1", "valid_minutes": "5"},
}
payload: AnyEmail = email_payload.validate_python(raw)
print(rendered.subject, template.render(order).html, name, payload.template)
