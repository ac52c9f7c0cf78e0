"""The SNS webhook on the local AWS server: genuine messages accepted, the forged corpus refused.

Messages are signed with a key and a CA generated in the test; the certificate fetcher is
injected. Verified notifications go through real SQS to the worker; confirmations through
SNS's ConfirmSubscription API.
"""

from __future__ import annotations

import base64
import copy
import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from sns_signing import SigningAuthority

from glasswork import JobService, SQSQueueDriver, bootstrap_worker, define_module
from glasswork.testing import FakeLambdaContext, LocalAWS
from glasswork.worker.poller import receive_records
from glasswork_email.events import BounceEvent, define_ses_event_handlers
from glasswork_email.sns import ConfirmSubscriptionAPI, SNSMessageVerifier, SNSWebhook

FIXTURES = Path(__file__).parent.parent / "events" / "fixtures"
TOPIC = "arn:aws:sns:us-east-1:123456789012:ses-events"
OTHER_ALLOWED_TOPIC = "arn:aws:sns:us-east-1:123456789012:ses-events-eu"
FOREIGN_TOPIC = "arn:aws:sns:us-east-1:999999999999:ses-events"
QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:jobs"


@pytest.fixture(scope="module")
def authority() -> SigningAuthority:
    return SigningAuthority()


@pytest.fixture(scope="module")
def stranger_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def now_stamp(offset_seconds: float = 0) -> str:
    moment = datetime.now(UTC) + timedelta(seconds=offset_seconds)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def notification(
    subject: str | None = "Amazon SES Email Event Notification", **changes: Any
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "Type": "Notification",
        "MessageId": "b0a3e8b3-1b2c-5d6e-8f90-0123456789ab",
        "TopicArn": TOPIC,
        "Message": (FIXTURES / "bounce.json").read_text(),
        "Timestamp": now_stamp(),
        "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&x=1",
    }
    if subject is not None:
        fields["Subject"] = subject
    fields.update(changes)
    return fields


def confirmation(kind: str = "SubscriptionConfirmation", **changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "Type": kind,
        "MessageId": "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
        "Token": "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3",
        "TopicArn": TOPIC,
        "Message": f"You have chosen to subscribe to the topic {TOPIC}.",
        "SubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&T=1",
        "Timestamp": now_stamp(),
    }
    fields.update(changes)
    return fields


def function_url_event(
    body: str, *, base64_body: bool = False, method: str = "POST"
) -> dict[str, Any]:
    return {
        "version": "2.0",
        "rawPath": "/",
        "rawQueryString": "",
        "headers": {"x-amz-sns-message-type": "Notification", "content-type": "text/plain"},
        "requestContext": {"http": {"method": method, "path": "/"}},
        "body": base64.b64encode(body.encode()).decode() if base64_body else body,
        "isBase64Encoded": base64_body,
    }


def rest_api_event(body: str) -> dict[str, Any]:
    return {
        "resource": "/ses-events",
        "path": "/ses-events",
        "httpMethod": "POST",
        "headers": {"x-amz-sns-message-type": "Notification"},
        "queryStringParameters": None,
        "body": body,
        "isBase64Encoded": False,
    }


class Harness:
    def __init__(self, local_aws: LocalAWS, authority: SigningAuthority, **verifier: Any) -> None:
        self.sqs = local_aws.client("sqs")
        self.queue_url = self.sqs.create_queue(QueueName="jobs")["QueueUrl"]
        self.sns = local_aws.client("sns")
        for name in ("ses-events", "ses-events-eu"):
            self.sns.create_topic(Name=name)
        self.received: list[Any] = []
        self.ses_events = define_ses_event_handlers(
            on_bounce=lambda event, ctx: self.received.append(event)
        )
        self.jobs = JobService(SQSQueueDriver({"default": self.queue_url}, client=self.sqs))
        self.confirmed: list[str] = []
        api = ConfirmSubscriptionAPI(self.sns)

        def confirm(message: Any) -> None:
            api(message)
            self.confirmed.append(message.topic_arn)

        verifier.setdefault("trust_roots", [authority.ca])
        self.verifier = SNSMessageVerifier(
            [TOPIC, OTHER_ALLOWED_TOPIC], fetch_certificate=authority.fetch, **verifier
        )
        self.webhook = SNSWebhook(
            self.verifier, job_service=self.jobs, job=self.ses_events, confirm=confirm
        )

    def post(self, message: dict[str, Any] | str, shape: str = "function_url") -> int:
        body = message if isinstance(message, str) else json.dumps(message)
        event = (
            rest_api_event(body)
            if shape == "rest"
            else function_url_event(body, base64_body=shape == "base64")
        )
        return int(self.webhook(event, None)["statusCode"])

    def queued(self) -> list[dict[str, Any]]:
        records = receive_records(
            self.sqs, self.queue_url, queue_arn=QUEUE_ARN, max_messages=10, wait_time_seconds=0
        )
        return list(records)


@pytest.fixture
def harness(local_aws: LocalAWS, authority: SigningAuthority) -> Harness:
    return Harness(local_aws, authority)


@pytest.mark.parametrize("shape", ["function_url", "base64", "rest"])
@pytest.mark.parametrize("version", ["1", "2"])
@pytest.mark.parametrize("subject", ["Amazon SES Email Event Notification", None])
def test_a_genuine_notification_is_enqueued_and_handled_by_the_worker(
    harness: Harness, authority: SigningAuthority, shape: str, version: str, subject: str | None
) -> None:
    assert harness.post(authority.sign(notification(subject), version=version), shape) == 200
    [record] = harness.queued()
    assert json.loads(record["body"])["jobName"] == "ses-event"
    worker = bootstrap_worker(
        define_module("app", jobs=[harness.ses_events]), sqs_client=harness.sqs
    )
    assert worker.handle_sqs_event({"Records": [record]}, FakeLambdaContext()) == {
        "batchItemFailures": []
    }
    [event] = harness.received
    assert isinstance(event, BounceEvent)
    assert event.sending_context.idempotency_key == "job-0001"


@pytest.mark.parametrize("version", ["1", "2"])
def test_a_genuine_subscription_confirmation_for_an_allowed_topic_is_confirmed(
    harness: Harness, authority: SigningAuthority, version: str
) -> None:
    assert harness.post(authority.sign(confirmation(), version=version)) == 200
    assert harness.confirmed == [TOPIC]
    assert harness.queued() == []


def test_a_genuine_unsubscribe_confirmation_is_acknowledged(
    harness: Harness, authority: SigningAuthority
) -> None:
    assert harness.post(authority.sign(confirmation("UnsubscribeConfirmation"))) == 200
    assert harness.confirmed == [] and harness.queued() == []


def test_the_signing_certificate_is_fetched_once(
    harness: Harness, authority: SigningAuthority
) -> None:
    for _ in range(3):
        assert harness.post(authority.sign(notification())) == 200
    assert harness.verifier.certificates.fetches == 1


def test_get_requests_are_not_sns_deliveries(harness: Harness) -> None:
    assert harness.webhook(function_url_event("", method="GET"))["statusCode"] == 405
    assert harness.webhook({"not": "http"})["statusCode"] == 400


def _altered(key: str, value: Any) -> Callable[[SigningAuthority], dict[str, Any]]:
    def make(authority: SigningAuthority) -> dict[str, Any]:
        return {**authority.sign(notification()), key: value}

    return make


def _relabelled(signed_as: str, presented_as: str) -> Callable[[SigningAuthority], dict[str, Any]]:
    def make(authority: SigningAuthority) -> dict[str, Any]:
        return {
            **authority.sign(notification(), version=signed_as),
            "SignatureVersion": presented_as,
        }

    return make


def _signed(
    fields: Callable[[], dict[str, Any]], **options: Any
) -> Callable[[SigningAuthority], dict[str, Any]]:
    return lambda authority: authority.sign(fields(), **options)


def _cert_url(url: str) -> Callable[[SigningAuthority], dict[str, Any]]:
    def make(authority: SigningAuthority) -> dict[str, Any]:
        authority.serve(url, authority.issue(authority.key))  # served, but from the wrong place
        return authority.sign(notification(), cert_url=url)

    return make


def _served_certificate(kind: str) -> Callable[[SigningAuthority], dict[str, Any]]:
    def make(authority: SigningAuthority) -> dict[str, Any]:
        url = f"https://sns.us-east-1.amazonaws.com/SimpleNotificationService-{kind}.pem"
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if kind == "expired":
            authority.serve(url, authority.issue(authority.key, valid_days=(-30, -1)))
            return authority.sign(notification(), cert_url=url)
        if kind == "foreign-ca":
            authority.serve(url, authority.issue(key, issuer_key=key))
            return authority.sign(notification(), cert_url=url, key=key)
        if kind == "other-key":
            authority.serve(url, authority.issue(key))
            return authority.sign(notification(), cert_url=url)  # signed with the usual key
        authority.served[url] = b"-----BEGIN CERTIFICATE-----\nnot a certificate\n"
        return authority.sign(notification(), cert_url=url)

    return make


def _without(key: str) -> Callable[[SigningAuthority], dict[str, Any]]:
    def make(authority: SigningAuthority) -> dict[str, Any]:
        message = authority.sign(notification())
        del message[key]
        return message

    return make


def _truncated(authority: SigningAuthority) -> str:
    return json.dumps(authority.sign(notification()))[:-40]


FORGED: dict[str, tuple[Callable[[SigningAuthority], dict[str, Any] | str], str]] = {
    "altered Message": (_altered("Message", json.dumps({"eventType": "Bounce"})), "signature"),
    "altered Subject": (_altered("Subject", "Something else"), "signature"),
    "Subject added after signing": (
        lambda a: {**a.sign(notification(subject=None)), "Subject": "Injected"},
        "signature",
    ),
    "Subject removed after signing": (_without("Subject"), "signature"),
    "altered TopicArn (another allowed topic)": (
        _altered("TopicArn", OTHER_ALLOWED_TOPIC),
        "signature",
    ),
    "altered MessageId": (
        _altered("MessageId", "00000000-0000-0000-0000-000000000000"),
        "signature",
    ),
    "altered Timestamp": (_altered("Timestamp", now_stamp(-5)), "signature"),
    "v1 signature presented as v2": (_relabelled("1", "2"), "signature"),
    "v2 signature presented as v1": (_relabelled("2", "1"), "signature"),
    "unknown SignatureVersion": (_relabelled("1", "3"), "signature_version"),
    "signature not base64": (_altered("Signature", "!!not base64!!"), "signature"),
    "empty signature": (_altered("Signature", ""), "signature"),
    "signed by a key whose certificate is not served": (
        lambda a: a.sign(
            notification(), key=rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ),
        "signature",
    ),
    "certificate of another key at an SNS URL": (_served_certificate("other-key"), "signature"),
    "certificate from a foreign CA": (_served_certificate("foreign-ca"), "certificate"),
    "expired certificate": (_served_certificate("expired"), "certificate"),
    "certificate URL serving garbage": (_served_certificate("garbage"), "certificate"),
    "certificate URL not served": (
        lambda a: a.sign(
            notification(), cert_url="https://sns.eu-west-1.amazonaws.com/missing.pem"
        ),
        "certificate",
    ),
    "foreign certificate host": (
        _cert_url("https://evil.example/SimpleNotificationService.pem"),
        "certificate_url",
    ),
    "http certificate URL": (
        _cert_url("http://sns.us-east-1.amazonaws.com/SimpleNotificationService.pem"),
        "certificate_url",
    ),
    "look-alike host with a suffix": (
        _cert_url("https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService.pem"),
        "certificate_url",
    ),
    "look-alike host with a prefix": (
        _cert_url("https://evilsns.us-east-1.amazonaws.com/SimpleNotificationService.pem"),
        "certificate_url",
    ),
    "look-alike host with a dash": (
        _cert_url("https://sns-us-east-1.amazonaws.com/SimpleNotificationService.pem"),
        "certificate_url",
    ),
    "look-alike top-level domain": (
        _cert_url("https://sns.us-east-1.amazonaws.co/SimpleNotificationService.pem"),
        "certificate_url",
    ),
    "SNS host as user information": (
        _cert_url("https://sns.us-east-1.amazonaws.com@evil.example/SimpleNotificationService.pem"),
        "certificate_url",
    ),
    "SNS host on another port": (
        _cert_url("https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService.pem"),
        "certificate_url",
    ),
    "certificate URL that is not a .pem": (
        _cert_url("https://sns.us-east-1.amazonaws.com/?Action=GetCertificate"),
        "certificate_url",
    ),
    "foreign TopicArn": (_signed(lambda: notification(TopicArn=FOREIGN_TOPIC)), "topic"),
    "stale timestamp": (_signed(lambda: notification(Timestamp=now_stamp(-2 * 3600))), "timestamp"),
    "timestamp in the future": (
        _signed(lambda: notification(Timestamp=now_stamp(3600))),
        "timestamp",
    ),
    "timestamp that is no timestamp": (
        _signed(lambda: notification(Timestamp="yesterday")),
        "timestamp",
    ),
    "truncated body": (_truncated, "body"),
    "non-JSON body": (lambda a: "Type=Notification&Message=hello", "body"),
    "JSON that is not an object": (lambda a: json.dumps([a.sign(notification())]), "body"),
    "empty body": (lambda a: "", "body"),
    "missing Signature": (_without("Signature"), "fields"),
    "missing SigningCertURL": (_without("SigningCertURL"), "fields"),
    "unknown Type": (_altered("Type", "Advertisement"), "fields"),
    "confirmation for a foreign topic": (
        _signed(lambda: confirmation(TopicArn=FOREIGN_TOPIC)),
        "topic",
    ),
    "confirmation with a foreign SubscribeURL": (
        _signed(
            lambda: confirmation(SubscribeURL="https://evil.example/?Action=ConfirmSubscription")
        ),
        "subscribe_url",
    ),
    "confirmation with an http SubscribeURL": (
        _signed(
            lambda: confirmation(SubscribeURL="http://sns.us-east-1.amazonaws.com/?Action=Confirm")
        ),
        "subscribe_url",
    ),
    "confirmation with a look-alike SubscribeURL": (
        _signed(
            lambda: confirmation(
                SubscribeURL="https://sns.us-east-1.amazonaws.com.evil.example/?Action=Confirm"
            )
        ),
        "subscribe_url",
    ),
    "confirmation without a Token": (
        lambda a: {k: v for k, v in a.sign(confirmation()).items() if k != "Token"},
        "fields",
    ),
    "confirmation with an altered Token": (
        lambda a: {**a.sign(confirmation()), "Token": "attacker-token"},
        "signature",
    ),
}
"""Each forged message and the check that must refuse it."""


@pytest.mark.parametrize("case", sorted(FORGED))
def test_every_forged_message_is_refused_with_403_naming_the_check(
    harness: Harness, authority: SigningAuthority, case: str, caplog: pytest.LogCaptureFixture
) -> None:
    make, check = FORGED[case]
    forged = make(authority)
    with caplog.at_level(logging.WARNING, logger="glasswork_email.sns.webhook"):
        for shape in ("function_url", "rest"):
            assert harness.post(copy.deepcopy(forged), shape) == 403, case
    [record, _again] = [r for r in caplog.records if r.name == "glasswork_email.sns.webhook"]
    assert record.__dict__["sns_check"] == check, record.getMessage()
    assert f"{check} check failed" in record.getMessage()
    assert harness.queued() == [], "nothing reaches a handler"
    assert harness.confirmed == []


def test_the_forged_corpus_is_large_and_every_case_differs_from_a_genuine_message() -> None:
    assert len(FORGED) >= 40


def test_a_genuine_message_replayed_after_the_window_is_refused(
    local_aws: LocalAWS, authority: SigningAuthority
) -> None:
    later = Harness(local_aws, authority, clock=lambda: time.time() + 2 * 3600)
    assert later.post(authority.sign(notification())) == 403


def test_a_verifier_that_accepts_only_v2_refuses_v1(
    local_aws: LocalAWS, authority: SigningAuthority
) -> None:
    strict = Harness(local_aws, authority, signature_versions=("2",))
    assert strict.post(authority.sign(notification(), version="1")) == 403
    assert strict.post(authority.sign(notification(), version="2")) == 200


def test_a_verifier_needs_an_allow_list() -> None:
    with pytest.raises(ValueError, match="at least one topic"):
        SNSMessageVerifier([])


def test_the_certificate_url_of_cn_and_govcloud_partitions_is_accepted(
    harness: Harness, authority: SigningAuthority
) -> None:
    for url in (
        "https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-cn.pem",
        "https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-gov.pem",
    ):
        authority.serve(url, authority.issue(authority.key))
        assert harness.post(authority.sign(notification(), cert_url=url)) == 200


def test_the_worker_import_path_does_not_load_cryptography() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import glasswork_email.events.handlers, glasswork_email.service, "
        "glasswork_email.job, glasswork.worker; "
        "print('cryptography' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
