"""Specification of ``define_email_module``: the email providers and job, wired."""

from __future__ import annotations

from typing import Any

from glasswork.modules import Container, define_module
from glasswork_email.idempotency import InMemoryIdempotencyStore
from glasswork_email.job import define_send_email_job
from glasswork_email.module import define_email_module
from glasswork_email.service import EmailService, TemplatedEmailService
from glasswork_email.transports.mock import MockTransport


class SignupService:
    """An app service that sends mail through the exported email service."""

    def __init__(self, templated_email_service: TemplatedEmailService) -> None:
        self.emails = templated_email_service


def test_the_module_provides_and_exports_the_email_services(templates: Any) -> None:
    transport = MockTransport()
    store = InMemoryIdempotencyStore()
    email = define_email_module(
        transport=transport,
        templates=templates,
        from_="hello@app.example",
        idempotency_store=store,
    )
    app = define_module("app", imports=[email], providers=[SignupService])
    container = Container(app)
    container.initialize()

    assert container.get("email_transport") is transport
    assert container.get("idempotency_store") is store
    assert isinstance(container.get("email_service"), EmailService)
    signup = container.get(SignupService)
    assert signup.emails is container.get("templated_email_service")
    assert signup.emails.from_ == "hello@app.example"


def test_the_send_email_job_belongs_to_the_module(
    templates: Any, email_payload_schema: Any
) -> None:
    send_email = define_send_email_job(email_payload_schema)
    email = define_email_module(
        transport=MockTransport(), templates=templates, send_email_job=send_email
    )
    container = Container(define_module("app", imports=[email]))
    assert [job for job, _module in container.jobs] == [send_email]


def test_without_a_store_no_idempotency_store_is_provided(templates: Any) -> None:
    container = Container(define_email_module(transport=MockTransport(), templates=templates))
    assert "idempotency_store" not in container
