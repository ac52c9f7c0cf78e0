"""``locale`` on payload models: validated when the payload is built, used by the service."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from glasswork_email.service import TemplatedEmailService
from glasswork_email.transports.mock import MockTransport
from tests.email.conftest import WelcomeContext, WelcomeEmail
from tests.email.i18n.conftest import GREETING, POLISH, POLISH_PLURALS, Project


def _welcome(locale: str | None) -> WelcomeEmail:
    return WelcomeEmail(
        to="ann@example.com",
        context=WelcomeContext(name="Ann", verification_link="https://x.example/v"),
        locale=locale,
    )


def test_the_locale_is_normalised_when_the_payload_is_built() -> None:
    assert _welcome("fr_ca").locale == "fr-CA"
    assert _welcome(None).locale is None
    assert WelcomeEmail.model_validate_json(_welcome("pt-br").model_dump_json()).locale == "pt-BR"


def test_a_malformed_locale_fails_at_the_payload_naming_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        _welcome("french!")
    error = caught.value.errors()[0]
    assert error["loc"] == ("locale",)
    assert "invalid locale 'french!': expected a BCP 47 language tag" in error["msg"]


def test_the_service_renders_the_payload_in_its_locale(project: Project) -> None:
    project.write({"greeting.html": GREETING})
    project.translate("pl", POLISH, POLISH_PLURALS)
    emails = project.load()
    transport = MockTransport()
    service = TemplatedEmailService(transport, emails.templates, from_="shop@example.com")
    context = emails.GreetingContext(name="Ola", items=5)
    service.send(emails.GreetingEmail(to="ola@example.com", context=context, locale="pl-PL"))
    service.send(emails.GreetingEmail(to="ola@example.com", context=context))
    polish, default = transport.sent
    assert polish.subject == "Cześć Ola"
    assert "Masz 5 produktów." in str(polish.text)
    assert default.subject == "Hello Ola"
