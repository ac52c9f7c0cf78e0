"""``SESTransport``: sends through Amazon SES v2 ``SendEmail`` with raw MIME content.

Every message is sent as ``Raw`` content built by ``transports.mime`` with the standard library,
one code path whether or not there are attachments or custom headers: the bytes SES gets are
exactly the bytes a test can parse back, text part and headers included.
"""

from __future__ import annotations

import logging
import random
import threading
from typing import TYPE_CHECKING, Any

from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from glasswork_email.errors import (
    EmailSendError,
    InvalidEmailMessageError,
    PermanentEmailSendError,
    TransientEmailSendError,
)
from glasswork_email.message import MAX_MESSAGE_SIZE_BYTES, EmailMessage
from glasswork_email.transports.base import require_sender
from glasswork_email.transports.mime import ascii_address, mime_bytes
from glasswork_email.transports.rate_limit import SendRateLimiter

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client
    from mypy_boto3_sesv2.type_defs import SendEmailRequestTypeDef

__all__ = [
    "DAILY_QUOTA_RETRY_AFTER_SECONDS",
    "SENDING_PAUSED_RETRY_AFTER_SECONDS",
    "SERVER_ERROR_RETRY_AFTER_SECONDS",
    "THROTTLING_RETRY_AFTER_SECONDS",
    "SESTransport",
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


class SESTransport:
    """Sends email with Amazon SES v2 ``SendEmail`` (raw MIME). Thread-safe.

    Parameters:
        region: the AWS region of the SES account (default: boto3's configured region).
        configuration_set: the SES configuration set every message is sent with (event
            publishing, dedicated IPs); default none.
        endpoint_url: a different SES endpoint, e.g. a local emulator (default: AWS's).
        client: a ready ``sesv2`` boto3 client; when given, ``region`` and ``endpoint_url``
            are ignored. Default: one is made on first send, with standard retry mode
            (3 attempts) and 5 s connect / 20 s read timeouts.
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
        self._client = client
        self._client_lock = threading.Lock()
        self.rate_limiter = SendRateLimiter(max_send_rate) if max_send_rate else None

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

    def _make_client(self) -> SESV2Client:
        # boto3 is imported here, not at module level: importing the email package stays cheap.
        import boto3
        from botocore.config import Config

        config = Config(
            retries={"mode": "standard", "max_attempts": 3}, connect_timeout=5, read_timeout=20
        )
        return boto3.client(
            "sesv2", region_name=self.region, endpoint_url=self.endpoint_url, config=config
        )

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
        mapped from SES's answer by ``ses_send_error``.
        """
        request = self.build_request(message)
        if self.rate_limiter is not None:
            self.rate_limiter.acquire()
        try:
            response = self.client.send_email(**request)
        except ClientError as error:
            raise ses_send_error(error) from error
        except ReadTimeoutError as error:
            # SES may have accepted the message before the answer was lost.
            logger.warning("SES did not answer in time; the message may have been sent")
            raise TransientEmailSendError(
                f"SES did not answer in time: {error}", transport=_TRANSPORT
            ) from error
        except (EndpointConnectionError, ConnectTimeoutError, ConnectionClosedError) as error:
            raise TransientEmailSendError(
                f"could not reach SES: {error}", transport=_TRANSPORT
            ) from error
        message_id = response["MessageId"]
        logger.debug(
            "SES accepted message %s for %d recipient(s)", message_id, len(message.recipients)
        )
        return message_id
