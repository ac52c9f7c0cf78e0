"""The JSON document SNS POSTs to an HTTPS subscriber, and the error a refused one raises."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["SNSMessage", "SNSVerificationError"]


class SNSVerificationError(Exception):
    """An SNS message that failed a check; nothing of it may reach a handler.

    Parameters:
        check: which check failed: ``body``, ``fields``, ``topic``, ``timestamp``,
            ``signature_version``, ``certificate_url``, ``certificate``, ``signature`` or
            ``subscribe_url``.
        detail: what was wrong, for the log line.
    """

    def __init__(self, check: str, detail: str) -> None:
        super().__init__(f"SNS message refused: {check} check failed: {detail}")
        self.check = check
        self.detail = detail


class SNSMessage(BaseModel):
    """One message SNS delivers over HTTP(S), keys as SNS spells them.

    Parameters:
        type: ``Notification``, ``SubscriptionConfirmation`` or ``UnsubscribeConfirmation``.
        message_id: SNS's id of the message.
        topic_arn: the topic it was published to.
        message: the payload (for SES events: the event's JSON).
        timestamp: when SNS published it, as SNS wrote it (ISO 8601, UTC).
        signature_version: ``"1"`` (SHA1withRSA) or ``"2"`` (SHA256withRSA).
        signature: the base64 signature over the message's string to sign.
        signing_cert_url: where SNS's signing certificate is.
        subject: the notification's subject, when it has one.
        subscribe_url: for confirmations, the URL that confirms the subscription.
        token: for confirmations, the token ``ConfirmSubscription`` takes.
        unsubscribe_url: for notifications, the URL that ends the subscription.
    """

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    type: Literal["Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"] = Field(
        alias="Type"
    )
    message_id: str = Field(alias="MessageId")
    topic_arn: str = Field(alias="TopicArn")
    message: str = Field(alias="Message")
    timestamp: str = Field(alias="Timestamp")
    signature_version: str = Field(alias="SignatureVersion")
    signature: str = Field(alias="Signature")
    signing_cert_url: str = Field(alias="SigningCertURL")
    subject: str | None = Field(default=None, alias="Subject")
    subscribe_url: str | None = Field(default=None, alias="SubscribeURL")
    token: str | None = Field(default=None, alias="Token")
    unsubscribe_url: str | None = Field(default=None, alias="UnsubscribeURL")
