"""Fixtures of the email tests: a small stand-in for a generated template package."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, Field, TypeAdapter

from glasswork_email.payload import TemplatedEmail


class WelcomeContext(BaseModel):
    """The context a generated ``welcome`` template would have."""

    name: str
    verification_link: str


class WelcomeEmail(TemplatedEmail):
    """What the compiler generates for ``templates/welcome.mjml``."""

    template: Literal["welcome"] = "welcome"
    context: WelcomeContext


class ResetContext(BaseModel):
    code: str


class ResetEmail(TemplatedEmail):
    template: Literal["reset"] = "reset"
    context: ResetContext


EmailPayload = Annotated[WelcomeEmail | ResetEmail, Field(discriminator="template")]
email_payload: TypeAdapter[WelcomeEmail | ResetEmail] = TypeAdapter(EmailPayload)


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str
    text: str
    preheader: str | None = None


class FakeWelcomeTemplate:
    """Renders like a compiled template: subject, escaped HTML and text from the context."""

    name = "welcome"
    context_model = WelcomeContext

    def __init__(self) -> None:
        self.renders = 0

    def render(self, context: WelcomeContext) -> Rendered:
        self.renders += 1
        return Rendered(
            subject=f"Welcome, {context.name}!",
            html=f"<p>Hello {html.escape(context.name)}</p>"
            f'<a href="{html.escape(context.verification_link)}">Verify</a>',
            text=f"Hello {context.name}\nVerify: {context.verification_link}",
        )


class FakeRegistry:
    """Satisfies the service's registry protocol like ``TemplateRegistry`` does."""

    def __init__(self, *templates: Any) -> None:
        self._templates = {template.name: template for template in templates}

    def get(self, name: str) -> Any:
        return self._templates[name]

    def names(self) -> tuple[str, ...]:
        return tuple(self._templates)


@pytest.fixture
def welcome_template() -> FakeWelcomeTemplate:
    return FakeWelcomeTemplate()


@pytest.fixture
def templates(welcome_template: FakeWelcomeTemplate) -> FakeRegistry:
    return FakeRegistry(welcome_template)


@pytest.fixture
def welcome_email() -> Callable[..., WelcomeEmail]:
    """Makes a ``WelcomeEmail``: ``welcome_email(to=..., name=..., **payload_fields)``."""

    def make(
        to: str | list[str] = "ann@example.com", name: str = "Ann", **fields: Any
    ) -> WelcomeEmail:
        context = WelcomeContext(name=name, verification_link="https://app.example/verify?t=1")
        return WelcomeEmail(to=to, context=context, **fields)

    return make


@pytest.fixture
def reset_email() -> Callable[..., ResetEmail]:
    """Makes a ``ResetEmail``, a payload whose template the fake registry lacks."""

    def make(to: str = "ann@example.com", **fields: Any) -> ResetEmail:
        return ResetEmail(to=to, context=ResetContext(code="123456"), **fields)

    return make


@pytest.fixture
def email_payload_schema() -> TypeAdapter[WelcomeEmail | ResetEmail]:
    """The generated payload union's adapter, as ``define_send_email_job`` takes it."""
    return email_payload
