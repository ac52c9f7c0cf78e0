"""``TemplatedEmailService`` with a real ``rendering.CompiledTemplate``: the runtime interface
the compiler's generated packages use, with precompiled Jinja code written to a temp package."""

from __future__ import annotations

import email
import email.policy
import uuid
from email.message import EmailMessage as MIMEMessage
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel

from glasswork_email.payload import TemplatedEmail
from glasswork_email.rendering import CompiledTemplate, TemplateRegistry, create_environment
from glasswork_email.service import TemplatedEmailService
from glasswork_email.transports.mime import mime_bytes
from glasswork_email.transports.mock import MockTransport

SOURCES = {
    "subject": ("welcome.subject.txt", "Welcome, {{ name }}!"),
    "html": ("welcome.html", '<p>Hallo {{ name }}</p><a href="{{ link }}">Verify</a>'),
    "text": ("welcome.txt", "Hallo {{ name }}\nVerify: {{ link }}"),
}


class GeneratedWelcomeContext(BaseModel):
    name: str
    link: str


class GeneratedWelcomeEmail(TemplatedEmail):
    template: Literal["welcome"] = "welcome"
    context: GeneratedWelcomeContext


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TemplateRegistry:
    package = f"generated_emails_{uuid.uuid4().hex}"
    directory = tmp_path / package
    directory.mkdir()
    (directory / "__init__.py").write_text("")
    for part, (filename, source) in SOURCES.items():
        environment = create_environment(text=part == "text")
        code: Any = environment.compile(
            source, name=filename, filename=filename, raw=True, defer_init=True
        )
        (directory / f"welcome__{part}.py").write_text(code)
    monkeypatch.syspath_prepend(str(tmp_path))
    template = CompiledTemplate(
        name="welcome", context_model=GeneratedWelcomeContext, code_package=package
    )
    return TemplateRegistry(template)


def test_a_compiled_template_is_rendered_escaped_and_sent(registry: TemplateRegistry) -> None:
    transport = MockTransport()
    service = TemplatedEmailService(transport, registry, from_="hello@app.example")
    context = GeneratedWelcomeContext(name="Zoë <b>", link="https://app.example/v?a=1&b=2")
    service.send(GeneratedWelcomeEmail(to="ann@example.com", context=context))

    sent = transport.last
    assert sent is not None
    assert sent.subject == "Welcome, Zoë <b>!"
    assert sent.html == (
        '<p>Hallo Zoë &lt;b&gt;</p><a href="https://app.example/v?a=1&amp;b=2">Verify</a>'
    )
    assert sent.text is not None and sent.text.startswith("Hallo Zoë <b>\n")
    parsed = email.message_from_bytes(mime_bytes(sent), policy=email.policy.default)
    assert isinstance(parsed, MIMEMessage)
    assert parsed["Subject"] == "Welcome, Zoë <b>!"
