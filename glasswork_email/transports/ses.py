"""``SESTransport``: sends through Amazon SES v2 ``SendEmail`` with raw MIME content.

Every message is sent as ``Raw`` content built by ``transports.mime`` with the standard library,
one code path whether or not there are attachments or custom headers: the bytes SES gets are
exactly the bytes a test can parse back, text part and headers included.

``SendEmail`` takes no idempotency token, so a send is never repeated behind the caller's back:
botocore may retry it only when SES certainly did not send (throttling, a 5xx answer, a
connection that was never established). When the request went out and its answer was lost
(connection closed, read timed out) the transport raises ``EmailSendOutcomeUnknownError`` at
once and the ``send_email`` job decides.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotocoreConnectionError

from glasswork_email.errors import (
    EmailSendError,
    EmailSendOutcomeUnknownError,
    InvalidEmailMessageError,
    PermanentEmailSendError,
    TransientEmailSendError,
)
from glasswork_email.message import MAX_MESSAGE_SIZE_BYTES, EmailMessage
from glasswork_email.transports.base import require_sender
from glasswork_email.transports.mime import ascii_address, mime_bytes

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client
    from mypy_boto3_sesv2.type_defs import SendEmailRequestTypeDef

    from glasswork_email.transports.rate_limit import SendRateLimiter

__all__ = [
    "DAILY_QUOTA_RETRY_AFTER_SECONDS",
    "SDK_MAX_ATTEMPTS",
    "SENDING_PAUSED_RETRY_AFTER_SECONDS",
    "SERVER_ERROR_RETRY_AFTER_SECONDS",
    "THROTTLING_RETRY_AFTER_SECONDS",
    "SESTransport",
    "forbid_retry_of_unknown_outcomes",
    "ses_send_error",
]

logger = logging.getLogger(__name__)

THROTTLING_RETRY_AFTER_SECONDS = 5.0
"""Base delay before retrying a throttled send, in seconds (up to twice this, with jitter)."""

SERVER_ERROR_RETRY_AFTER_SECONDS = 15.0
"""Base delay before retrying after an SES 5xx, in seconds (up to twice this, with jitter)."""

DAILY_QUOTA_RETRY_AFTER_SECONDS = 3600.0
"""Delay before retrying when the account's 24-hour sending quota is used up, in seconds."""

SENDING_PAUSED_RETRY_AFTER_SECONDS = 300.0
"""Delay before retrying when sending is paused for the account or configuration set, in s."""

SDK_MAX_ATTEMPTS = 3
"""``SendEmail`` attempts botocore makes in all, the first one included, on a client the
transport makes itself; only errors after which SES certainly did not send are retried."""

_SEND_EMAIL_RETRY_EVENT = "needs-retry.sesv2.SendEmail"

_THROTTLING_CODES = frozenset(
    {"Throttling", "ThrottlingException", "TooManyRequestsException", "LimitExceededException"}
)
_SERVER_ERROR_CODES = frozenset(
    {"InternalFailure", "InternalServerError", "ServiceUnavailable", "ServiceUnavailableException"}
)
_TRANSPORT = "ses"


def _jittered(base_seconds: float) -> float:
    # Spread the retries of many throttled workers so they do not return in one wave.
    return base_seconds * (1.0 + random.random())


def ses_send_error(error: ClientError) -> EmailSendError:
    """The transient or permanent error for an SES ``ClientError``.

    Throttling (``TooManyRequestsException``, ``Throttling``, "Maximum sending rate exceeded"),
    a paused account and 5xx responses are transient, with a delay; everything else the
    service blames on the request (rejected message, bad address, unverified identity,
    unknown configuration set) is permanent.
    """
    details: Any = error.response.get("Error", {})
    code = str(details.get("Code", "Unknown"))
    text = str(details.get("Message", ""))
    status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    message = f"SES refused the message: {code}: {text}"
    lowered = text.lower()
    if "daily message quota exceeded" in lowered:
        return TransientEmailSendError(
            message, transport=_TRANSPORT, code=code, retry_after=DAILY_QUOTA_RETRY_AFTER_SECONDS
        )
    if code in _THROTTLING_CODES or "maximum sending rate exceeded" in lowered or status == 429:
        return TransientEmailSendError(
            message,
            transport=_TRANSPORT,
            code=code,
            retry_after=_jittered(THROTTLING_RETRY_AFTER_SECONDS),
        )
    if code == "SendingPausedException":
        return TransientEmailSendError(
            message,
            transport=_TRANSPORT,
            code=code,
            retry_after=SENDING_PAUSED_RETRY_AFTER_SECONDS,
        )
    if status >= 500 or code in _SERVER_ERROR_CODES:
        return TransientEmailSendError(
            message,
            transport=_TRANSPORT,
            code=code,
            retry_after=_jittered(SERVER_ERROR_RETRY_AFTER_SECONDS),
        )
    return PermanentEmailSendError(message, transport=_TRANSPORT, code=code)


def _no_retry_after_unknown_outcome(
    caught_exception: BaseException | None = None, **_kwargs: Any
) -> bool | None:
    # botocore takes the first answer that is not None: False vetoes its retry handler.
    if isinstance(caught_exception, HTTPClientError):
        return False
    return None


def forbid_retry_of_unknown_outcomes(client: SESV2Client) -> None:
    """Stop ``client`` from retrying ``SendEmail`` when the request was sent and its answer lost.

    botocore's retry modes treat a closed connection or a read timeout like any transient
    error and send the request again, which sends the email again if SES had accepted it.
    Idempotent: registering twice keeps one handler.
    """
    client.meta.events.register_first(
        _SEND_EMAIL_RETRY_EVENT,
        cast("Callable[..., None]", _no_retry_after_unknown_outcome),
        unique_id="glasswork-email-no-retry-after-unknown-outcome",
    )


class SESTransport:
    """Sends email with Amazon SES v2 ``SendEmail`` (raw MIME). Thread-safe.

    Parameters:
        region: the AWS region of the SES account (default: boto3's configured region).
        configuration_set: the SES configuration set every message is sent with (event
            publishing, dedicated IPs); default none.
        endpoint_url: a different SES endpoint, e.g. a local emulator (default: AWS's).
        client: a ready ``sesv2`` boto3 client; when given, ``region`` and ``endpoint_url``
            are ignored and its retry settings are kept, except that ``SendEmail`` is never
            retried after an unknown outcome. Default: one is made on first send, with
            standard retry mode, 3 attempts in all (``SDK_MAX_ATTEMPTS``, the first
            included) and 5 s connect / 20 s read timeouts.
        max_send_rate: messages per second this process may send (default: no limit); keep it
            at or under the account's maximum send rate divided by the worker's concurrency.
    """

    def __init__(
        self,
        *,
        region: str | None = None,
        configuration_set: str | None = None,
        endpoint_url: str | None = None,
        client: SESV2Client | None = None,
        max_send_rate: float | None = None,
    ) -> None:
        self.region = region
        self.configuration_set = configuration_set
        self.endpoint_url = endpoint_url
        if client is not None:
            forbid_retry_of_unknown_outcomes(client)
        self._client = client
        self._client_lock = threading.Lock()
        self.rate_limiter: SendRateLimiter | None = None
        if max_send_rate:
            # Imported only when a rate is set: most senders leave the pace to SES.
            from glasswork_email.transports.rate_limit import SendRateLimiter

            self.rate_limiter = SendRateLimiter(max_send_rate)

    def __repr__(self) -> str:
        return f"SESTransport(region={self.region!r}, configuration_set={self.configuration_set!r})"

    @property
    def client(self) -> SESV2Client:
        """The ``sesv2`` client, made on first use."""
        if self._client is None:
            with self._client_lock:
                if self._client is None:
                    self._client = self._make_client()
        return self._client

    def warm_up(self) -> None:
        """Make the client now (the worker calls this in Lambda's init phase)."""
        self.client  # noqa: B018

    def _make_client(self) -> SESV2Client:
        # boto3 is imported here, not at module level: importing the email package stays cheap.
        import boto3
        from botocore.config import Config

        # botocore's "max_attempts" counts retries, not attempts; "total_max_attempts" counts
        # attempts, the first one included, as SDK_MAX_ATTEMPTS says.
        config = Config(
            retries={"mode": "standard", "total_max_attempts": SDK_MAX_ATTEMPTS},
            connect_timeout=5,
            read_timeout=20,
        )
        client = boto3.client(
            "sesv2", region_name=self.region, endpoint_url=self.endpoint_url, config=config
        )
        forbid_retry_of_unknown_outcomes(client)
        return client

    def build_request(self, message: EmailMessage) -> SendEmailRequestTypeDef:
        """The ``SendEmail`` request for ``message``: raw MIME, envelope, configuration set,
        tags. Raises ``InvalidEmailMessageError`` when there is no sender or the encoded
        message exceeds 40 MB."""
        sender = require_sender(message)
        raw = mime_bytes(message)
        if len(raw) > MAX_MESSAGE_SIZE_BYTES:
            raise InvalidEmailMessageError(
                "attachments" if message.attachments else "html",
                f"the encoded message is {len(raw):,} bytes; SES accepts at most "
                f"{MAX_MESSAGE_SIZE_BYTES:,}",
            )
        request: SendEmailRequestTypeDef = {
            "FromEmailAddress": ascii_address(sender),
            # Bcc is only in the envelope: it is never written into the MIME headers.
            "Destination": {
                "ToAddresses": [ascii_address(address) for address in message.to],
                "CcAddresses": [ascii_address(address) for address in message.cc],
                "BccAddresses": [ascii_address(address) for address in message.bcc],
            },
            "Content": {"Raw": {"Data": raw}},
        }
        if self.configuration_set:
            request["ConfigurationSetName"] = self.configuration_set
        if message.tags:
            request["EmailTags"] = [
                {"Name": name, "Value": value} for name, value in message.tags.items()
            ]
        return request

    def send(self, message: EmailMessage) -> str:
        """Send ``message``; return the SES message id.

        Raises ``TransientEmailSendError`` (retry) or ``PermanentEmailSendError`` (do not),
        mapped from SES's answer by ``ses_send_error``; ``EmailSendOutcomeUnknownError`` when
        the request was sent and no answer came back (the message may have been sent).
        """
        request = self.build_request(message)
        if self.rate_limiter is not None:
            self.rate_limiter.acquire()
        try:
            response = self.client.send_email(**request)
        except ClientError as error:
            raise ses_send_error(error) from error
        except HTTPClientError as error:
            logger.warning("SES's answer was lost (%s); the message may have been sent", error)
            raise EmailSendOutcomeUnknownError(
                f"SES's answer was lost, the message may have been sent: {error}",
                transport=_TRANSPORT,
            ) from error
        except BotocoreConnectionError as error:
            raise TransientEmailSendError(
                f"could not reach SES: {error}", transport=_TRANSPORT
            ) from error
        message_id = response["MessageId"]
        logger.debug(
            "SES accepted message %s for %d recipient(s)", message_id, len(message.recipients)
        )
        return message_id
