"""The whole path: enqueue(send_email, ...) → SQS → the worker's Lambda handler → SES, once."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from examples.app.emails import (
    WelcomeContext,
    WelcomeEmail,
    WelcomeGettingStartedItem,
    WelcomeUser,
    send_email,
    templates,
)
from glasswork import JobService, SQSQueueDriver, bootstrap_worker, define_module
from glasswork.testing import FakeLambdaContext, LocalAWS
from glasswork.worker.bootstrap import Worker
from glasswork.worker.poller import delete_records, receive_records
from glasswork_email import DynamoDBIdempotencyStore, SESTransport, define_email_module


@pytest.fixture
def queue(local_aws: LocalAWS, sqs: Any) -> tuple[str, str]:
    url = sqs.create_queue(QueueName="emails")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    return url, arn


@pytest.fixture
def worker(local_aws: LocalAWS) -> Worker:
    local_aws.client("sesv2").create_email_identity(EmailIdentity="shop.example")
    store = DynamoDBIdempotencyStore("email-idempotency", client=local_aws.client("dynamodb"))
    store.create_table()
    email_module = define_email_module(
        transport=SESTransport(client=local_aws.client("sesv2")),
        templates=templates,
        from_="Shop <hello@shop.example>",
        idempotency_store=store,
        send_email_job=send_email,
    )
    return bootstrap_worker(
        define_module("app", imports=[email_module]), sqs_client=local_aws.client("sqs")
    )


def run_batch(worker: Worker, sqs: Any, queue: tuple[str, str]) -> list[dict[str, Any]]:
    url, arn = queue
    records = receive_records(sqs, url, queue_arn=arn, wait_time_seconds=1)
    response = worker.handle_sqs_event({"Records": records}, FakeLambdaContext(timeout_seconds=30))
    assert response == {"batchItemFailures": []}
    delete_records(sqs, url, records)
    return list(records)


def sent(local_aws: LocalAWS) -> list[EmailMessage]:
    return [
        email.message_from_bytes(raw["raw_data"].encode(), policy=email.policy.default)
        for raw in local_aws.data()["ses"]["RawMessage"]
    ]


def test_enqueued_email_is_rendered_and_sent_through_ses_exactly_once(
    local_aws: LocalAWS, sqs: Any, queue: tuple[str, str], worker: Worker
) -> None:
    jobs = JobService(SQSQueueDriver({"default": queue[0]}, client=sqs))
    jobs.enqueue(
        send_email,
        WelcomeEmail(
            to="Zoë Ørsted <zoe@example.com>",
            context=WelcomeContext(
                user=WelcomeUser(first_name="Zoë"),
                product_name="Shop",
                dashboard_url="https://shop.example/account?a=1&b=2",
                getting_started=[
                    WelcomeGettingStartedItem(title="Find <gifts>", url="https://shop.example/g")
                ],
            ),
        ),
    )

    [record] = run_batch(worker, sqs, queue)

    [message] = sent(local_aws)
    assert message["To"].addresses[0].addr_spec == "zoe@example.com"
    assert message["From"].addresses[0].addr_spec == "hello@shop.example"
    assert message["Subject"] == "Welcome to Shop, Zoë!"
    html = message.get_body(preferencelist=("html",))
    text = message.get_body(preferencelist=("plain",))
    assert html is not None and text is not None
    html_content, text_content = html.get_content(), text.get_content()
    assert "Welcome aboard, Zoë!" in html_content
    assert "Find &lt;gifts&gt;" in html_content and "<gifts>" not in html_content
    assert 'href="https://shop.example/account?a=1&amp;b=2"' in html_content
    assert "Welcome aboard, Zoë!" in text_content
    assert "Find <gifts> (https://shop.example/g)" in text_content

    # SQS delivers at least once: the same message arrives again.
    sqs.send_message(QueueUrl=queue[0], MessageBody=record["body"])
    run_batch(worker, sqs, queue)
    assert len(sent(local_aws)) == 1, "a duplicate delivery sends nothing more"


def test_an_email_for_a_canadian_customer_is_sent_in_french_with_local_money_and_dates(
    local_aws: LocalAWS, sqs: Any, queue: tuple[str, str], worker: Worker
) -> None:
    from datetime import UTC, datetime
    from decimal import Decimal

    from babel.dates import format_datetime, get_timezone

    from examples.app.emails import (
        OrderConfirmationContext,
        OrderConfirmationEmail,
        OrderConfirmationItem,
    )

    placed_at = datetime(2026, 3, 1, 14, 5, tzinfo=UTC)
    jobs = JobService(SQSQueueDriver({"default": queue[0]}, client=sqs))
    jobs.enqueue(
        send_email,
        OrderConfirmationEmail(
            to="zoe@example.com",
            context=OrderConfirmationContext(
                name="Zoé",
                order_number="ORD-9",
                items=[
                    OrderConfirmationItem(name="Théière", price=Decimal("1234.5"), on_sale=True)
                ],
                total=Decimal("1234.5"),
                currency="EUR",
                placed_at=placed_at,
                time_zone="America/Toronto",
                tracking_url="https://shop.example/t/ORD-9",
            ),
            locale="fr_ca",
        ),
    )

    run_batch(worker, sqs, queue)

    [message] = sent(local_aws)
    assert message["Subject"] == "Votre commande ORD-9"  # fr-CA has no catalog: fr's words
    html = message.get_body(preferencelist=("html",))
    text = message.get_body(preferencelist=("plain",))
    assert html is not None and text is not None
    text_content = text.get_content()
    local_time = format_datetime(placed_at, tzinfo=get_timezone("America/Toronto"), locale="fr_CA")
    assert local_time == "1 mars 2026, 09 h 05 min 00 s"
    assert f"Merci pour votre commande nº ORD-9, passée le {local_time} !" in text_content
    assert "- Théière (en promotion): 1\xa0234,50\xa0€" in text_content  # fr-CA grouping
    assert "Total : 1\xa0234,50\xa0€" in text_content
    assert '<html lang="fr-CA" dir="ltr"' in html.get_content()


VARIANT_MAIN = """\
<html lang="{{ email_locale }}"><head><title>{% trans %}Your invoice{% endtrans %}</title></head>
<body><p>{% trans %}Amount due:{% endtrans %} {{ amount }}</p></body></html>
"""
VARIANT_FRENCH = """\
<html lang="{{ email_locale }}"><head><title>{% trans %}Your invoice{% endtrans %}</title></head>
<body><table><tr><th>{% trans %}Amount due:{% endtrans %}</th><td>{{ amount }}</td></tr></table>
<p>Facture conforme à l'article 242 nonies A du CGI.</p></body></html>
"""


def test_a_canadian_customer_gets_the_french_variant_of_an_email(
    local_aws: LocalAWS,
    sqs: Any,
    queue: tuple[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.email.i18n.conftest import Project

    (tmp_path / "pyproject.toml").write_text("[tool.other]\n", encoding="utf-8")
    (tmp_path / "generated").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path / "generated"))
    project = Project(tmp_path, monkeypatch)
    project.write({"invoice.html": VARIANT_MAIN, "invoice.fr.html": VARIANT_FRENCH})
    project.translate("fr", {"Your invoice": "Votre facture", "Amount due:": "Montant dû :"})
    emails = project.load()
    local_aws.client("sesv2").create_email_identity(EmailIdentity="shop.example")
    email_module = define_email_module(
        transport=SESTransport(client=local_aws.client("sesv2")),
        templates=emails.templates,
        from_="Shop <hello@shop.example>",
        send_email_job=emails.send_email,
    )
    worker = bootstrap_worker(
        define_module("app", imports=[email_module]), sqs_client=local_aws.client("sqs")
    )
    jobs = JobService(SQSQueueDriver({"default": queue[0]}, client=sqs))
    for locale in ("fr-CA", "en-CA"):
        jobs.enqueue(
            emails.send_email,
            emails.InvoiceEmail(
                to="zoe@example.com", context=emails.InvoiceContext(amount="12,50 $"), locale=locale
            ),
        )
    run_batch(worker, sqs, queue)

    messages = {message["Subject"]: message for message in sent(local_aws)}
    assert set(messages) == {"Votre facture", "Your invoice"}
    french = messages["Votre facture"].get_body(preferencelist=("html",))
    assert french is not None
    html = french.get_content()
    assert html.startswith('<html lang="fr-CA">')  # the fr variant, formatted for fr-CA
    assert "<th>Montant dû :</th><td>12,50 $</td>" in html
    english = messages["Your invoice"].get_body(preferencelist=("plain",))
    assert english is not None and "Amount due: 12,50 $" in english.get_content()
