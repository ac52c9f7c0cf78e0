"""Specification of ``SESTransport`` against the local AWS emulator (SES v2 over HTTP)."""

from __future__ import annotations

import email
import email.policy
import json
import threading
import time
from collections.abc import Callable, Iterator
from email.message import EmailMessage as MIMEMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from glasswork.jobs.errors import PermanentJobError, TransientJobError
from glasswork.testing import Fault, FaultProxy, LocalAWS, ProxiedRequest
from glasswork_email.errors import (
    EmailSendOutcomeUnknownError,
    PermanentEmailSendError,
    TransientEmailSendError,
)
from glasswork_email.message import EmailMessage
from glasswork_email.transports.ses import (
    DAILY_QUOTA_RETRY_AFTER_SECONDS,
    SDK_MAX_ATTEMPTS,
    THROTTLING_RETRY_AFTER_SECONDS,
    SESTransport,
    ses_send_error,
)

SENDER = "hello@app.example"


@pytest.fixture
def ses(local_aws: LocalAWS) -> Any:
    client = local_aws.client("sesv2")
    client.create_email_identity(EmailIdentity=SENDER)
    return client


@pytest.fixture
def transport(local_aws: LocalAWS, ses: Any) -> SESTransport:
    return SESTransport(region="us-east-1", endpoint_url=local_aws.endpoint_url)


def sent_raw_messages(local_aws: LocalAWS) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = local_aws.data()["ses"]["RawMessage"]
    return messages


def parse(raw: str) -> MIMEMessage:
    parsed = email.message_from_bytes(raw.encode("ascii"), policy=email.policy.default)
    assert isinstance(parsed, MIMEMessage)
    return parsed


def body(parsed: MIMEMessage, subtype: str) -> str:
    part = parsed.get_body(preferencelist=(subtype,))
    assert isinstance(part, MIMEMessage)
    content: str = part.get_content()
    return content.replace("\r\n", "\n").rstrip("\n")


def welcome(**overrides: object) -> EmailMessage:
    fields: dict[str, object] = {
        "from_": f"Zoë at App <{SENDER}>",
        "to": "Ann <ann@example.com>",
        "subject": "Willkommen, Zoë ✓",
        "html": "<h1>Grüße ✓</h1>",
        "text": "Grüße ✓\n東京",
    }
    fields.update(overrides)
    return EmailMessage(**fields)  # type: ignore[arg-type]


def test_a_sent_message_arrives_with_subject_html_and_text_intact(
    transport: SESTransport, local_aws: LocalAWS
) -> None:
    message_id = transport.send(welcome())

    [sent] = sent_raw_messages(local_aws)
    assert sent["id"] == message_id
    assert sent["source"] == SENDER
    assert "ann@example.com" in sent["destinations"]
    parsed = parse(sent["raw_data"])
    assert parsed["Subject"] == "Willkommen, Zoë ✓"
    assert parsed["From"].addresses[0].display_name == "Zoë at App"
    assert body(parsed, "html") == "<h1>Grüße ✓</h1>"
    assert body(parsed, "plain") == "Grüße ✓\n東京"


def test_bcc_goes_in_the_envelope_only(transport: SESTransport, local_aws: LocalAWS) -> None:
    transport.send(welcome(bcc="audit@example.com"))

    [sent] = sent_raw_messages(local_aws)
    assert "audit@example.com" in sent["destinations"]
    assert "audit@example.com" not in sent["raw_data"]


def test_unsubscribe_headers_reach_ses(transport: SESTransport, local_aws: LocalAWS) -> None:
    transport.send(welcome(unsubscribe_url="https://app.example/unsubscribe?t=abc"))

    parsed = parse(sent_raw_messages(local_aws)[0]["raw_data"])
    assert parsed["List-Unsubscribe"] == "<https://app.example/unsubscribe?t=abc>"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_configuration_set_and_tags_are_passed_in_the_request(
    local_aws: LocalAWS, ses: Any
) -> None:
    # The emulator ignores both, so the request is asserted, then sent to prove SES accepts it.
    transport = SESTransport(endpoint_url=local_aws.endpoint_url, configuration_set="transactional")
    request = transport.build_request(welcome(tags={"template": "welcome", "tenant": "acme"}))
    assert request["ConfigurationSetName"] == "transactional"
    assert request["EmailTags"] == [
        {"Name": "template", "Value": "welcome"},
        {"Name": "tenant", "Value": "acme"},
    ]
    assert request["Destination"]["ToAddresses"] == ["ann@example.com"]
    transport.send(welcome(tags={"template": "welcome"}))
    assert len(sent_raw_messages(local_aws)) == 1


def test_an_unverified_sender_is_a_permanent_error(transport: SESTransport) -> None:
    with pytest.raises(PermanentEmailSendError) as error:
        transport.send(welcome(from_="someone@unverified.example"))
    assert error.value.code == "MessageRejected"
    assert isinstance(error.value, PermanentJobError)


def test_a_message_without_sender_is_refused_before_calling_ses(
    transport: SESTransport, local_aws: LocalAWS
) -> None:
    with pytest.raises(PermanentJobError, match="from_"):
        transport.send(welcome(from_=None))
    assert sent_raw_messages(local_aws) == []


def test_max_send_rate_spaces_sends_out(local_aws: LocalAWS, ses: Any) -> None:
    transport = SESTransport(endpoint_url=local_aws.endpoint_url, max_send_rate=20)
    started = time.monotonic()
    for _ in range(4):
        transport.send(welcome())
    # Four sends at 20 per second need at least three 50 ms intervals.
    assert time.monotonic() - started >= 0.15
    assert len(sent_raw_messages(local_aws)) == 4


def client_error(code: str, message: str, status: int) -> ClientError:
    return ClientError(
        {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status},
        },
        "SendEmail",
    )


@pytest.mark.parametrize(
    ("code", "message", "status"),
    [
        ("TooManyRequestsException", "Too many requests", 429),
        ("Throttling", "Maximum sending rate exceeded.", 400),
        ("LimitExceededException", "Maximum sending rate exceeded.", 400),
        ("InternalFailure", "Internal failure", 500),
        ("ServiceUnavailable", "Service unavailable", 503),
    ],
)
def test_throttling_and_server_errors_are_transient_with_a_delay(
    code: str, message: str, status: int
) -> None:
    error = ses_send_error(client_error(code, message, status))
    assert isinstance(error, TransientEmailSendError)
    assert isinstance(error, TransientJobError)
    assert error.retry_after is not None and error.retry_after >= THROTTLING_RETRY_AFTER_SECONDS


def test_an_exhausted_daily_quota_is_retried_an_hour_later() -> None:
    error = ses_send_error(client_error("Throttling", "Daily message quota exceeded.", 400))
    assert isinstance(error, TransientEmailSendError)
    assert error.retry_after == DAILY_QUOTA_RETRY_AFTER_SECONDS


@pytest.mark.parametrize(
    "code",
    [
        "MessageRejected",
        "MailFromDomainNotVerifiedException",
        "BadRequestException",
        "NotFoundException",
        "AccountSuspendedException",
    ],
)
def test_rejections_and_bad_requests_are_permanent(code: str) -> None:
    error = ses_send_error(client_error(code, "nope", 400))
    assert isinstance(error, PermanentEmailSendError)
    assert error.code == code


class _FailingSES(BaseHTTPRequestHandler):
    status = 429
    error_type = "TooManyRequestsException"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        payload = json.dumps({"message": "Maximum sending rate exceeded."}).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("x-amzn-ErrorType", self.error_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def failing_ses_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FailingSES)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def single_attempt_client(endpoint_url: str) -> Any:
    return boto3.client(
        "sesv2",
        region_name="us-east-1",
        endpoint_url=endpoint_url,
        config=Config(retries={"mode": "standard", "max_attempts": 1}),
    )


def test_a_throttled_http_answer_becomes_a_transient_error(failing_ses_url: str) -> None:
    transport = SESTransport(client=single_attempt_client(failing_ses_url))
    with pytest.raises(TransientEmailSendError) as error:
        transport.send(welcome())
    assert error.value.code == "TooManyRequestsException"
    assert error.value.retry_after is not None


def test_an_unreachable_endpoint_is_a_transient_error() -> None:
    transport = SESTransport(client=single_attempt_client("http://127.0.0.1:9"))
    with pytest.raises(TransientEmailSendError, match="could not reach SES"):
        transport.send(welcome())


SEND_EMAIL_PATH = "/v2/email/outbound-emails"


def faults_on_send(*faults: Fault) -> Callable[[ProxiedRequest], Fault]:
    """Inject ``faults`` on successive ``SendEmail`` requests, then none."""
    remaining = list(faults)
    lock = threading.Lock()

    def choose(request: ProxiedRequest) -> Fault:
        if request.path != SEND_EMAIL_PATH:
            return Fault.NONE
        with lock:
            return remaining.pop(0) if remaining else Fault.NONE

    return choose


def test_a_lost_answer_is_an_unknown_outcome_and_is_not_retried(
    local_aws: LocalAWS, ses: Any
) -> None:
    with FaultProxy(local_aws.endpoint_url, faults_on_send(*[Fault.LOSE_ANSWER] * 5)) as proxy:
        transport = SESTransport(endpoint_url=proxy.endpoint_url)
        with pytest.raises(EmailSendOutcomeUnknownError, match="may have been sent"):
            transport.send(welcome())
    assert proxy.injected[Fault.LOSE_ANSWER] == 1
    assert len(sent_raw_messages(local_aws)) == 1  # SES got it once; botocore did not resend


def test_a_given_client_with_generous_retries_still_never_resends_after_a_lost_answer(
    local_aws: LocalAWS, ses: Any
) -> None:
    with FaultProxy(local_aws.endpoint_url, faults_on_send(*[Fault.LOSE_ANSWER] * 5)) as proxy:
        client = proxy.client(
            "sesv2", config=Config(retries={"mode": "standard", "total_max_attempts": 6})
        )
        with pytest.raises(EmailSendOutcomeUnknownError):
            SESTransport(client=client).send(welcome())
    assert len(sent_raw_messages(local_aws)) == 1


def test_sdk_max_attempts_counts_attempts_the_first_included(local_aws: LocalAWS, ses: Any) -> None:
    with FaultProxy(local_aws.endpoint_url, faults_on_send(*[Fault.SERVER_ERROR] * 10)) as proxy:
        transport = SESTransport(endpoint_url=proxy.endpoint_url)
        with pytest.raises(TransientEmailSendError) as error:
            transport.send(welcome())
    assert error.value.code == "InternalFailure"
    assert proxy.injected[Fault.SERVER_ERROR] == SDK_MAX_ATTEMPTS == 3
    assert sent_raw_messages(local_aws) == []


def test_a_throttled_attempt_is_retried_by_botocore_and_sends_once(
    local_aws: LocalAWS, ses: Any
) -> None:
    with FaultProxy(local_aws.endpoint_url, faults_on_send(Fault.THROTTLE)) as proxy:
        SESTransport(endpoint_url=proxy.endpoint_url).send(welcome())
    assert proxy.injected[Fault.THROTTLE] == 1
    assert len(sent_raw_messages(local_aws)) == 1
