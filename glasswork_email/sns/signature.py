"""SNS message signatures: the string to sign, and SignatureVersion 1 (SHA1) and 2 (SHA256).

The string to sign is ``Key\\nValue\\n`` for a fixed list of keys in a fixed order, a key left
out when the message lacks it (only ``Subject`` may be missing):

- ``Notification``: Message, MessageId, Subject, Timestamp, TopicArn, Type
- ``SubscriptionConfirmation`` and ``UnsubscribeConfirmation``: Message, MessageId,
  SubscribeURL, Timestamp, Token, TopicArn, Type

The signature is RSA PKCS#1 v1.5 over it with SHA1 (version 1) or SHA256 (version 2).
"""

from __future__ import annotations

import base64
import binascii

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from glasswork_email.sns.message import SNSMessage, SNSVerificationError

__all__ = ["SIGNATURE_HASHES", "string_to_sign", "verify_signature"]

SIGNATURE_HASHES: dict[str, type[hashes.HashAlgorithm]] = {"1": hashes.SHA1, "2": hashes.SHA256}
"""``SignatureVersion`` → the hash it signs with."""

_NOTIFICATION_KEYS = (
    ("Message", "message"),
    ("MessageId", "message_id"),
    ("Subject", "subject"),
    ("Timestamp", "timestamp"),
    ("TopicArn", "topic_arn"),
    ("Type", "type"),
)
_CONFIRMATION_KEYS = (
    ("Message", "message"),
    ("MessageId", "message_id"),
    ("SubscribeURL", "subscribe_url"),
    ("Timestamp", "timestamp"),
    ("Token", "token"),
    ("TopicArn", "topic_arn"),
    ("Type", "type"),
)


def string_to_sign(message: SNSMessage) -> bytes:
    """The bytes SNS signed for ``message``; raises ``SNSVerificationError`` (``fields``) when
    a confirmation lacks ``SubscribeURL`` or ``Token``."""
    keys = _NOTIFICATION_KEYS if message.type == "Notification" else _CONFIRMATION_KEYS
    lines: list[str] = []
    for key, attribute in keys:
        value = getattr(message, attribute)
        if value is None:
            if key != "Subject":
                raise SNSVerificationError("fields", f"a {message.type} must have {key}")
            continue
        lines.append(f"{key}\n{value}\n")
    return "".join(lines).encode()


def verify_signature(message: SNSMessage, certificate: x509.Certificate) -> None:
    """Raise ``SNSVerificationError`` unless ``certificate``'s key signed ``message``.

    Checks ``signature_version`` (``"1"`` or ``"2"``) and the signature itself.
    """
    algorithm = SIGNATURE_HASHES.get(message.signature_version)
    if algorithm is None:
        raise SNSVerificationError(
            "signature_version", f"SignatureVersion {message.signature_version!r} is not 1 or 2"
        )
    try:
        signature = base64.b64decode(message.signature, validate=True)
    except (binascii.Error, ValueError):
        raise SNSVerificationError("signature", "Signature is not base64") from None
    public_key = certificate.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise SNSVerificationError("certificate", "the signing certificate's key is not RSA")
    try:
        public_key.verify(signature, string_to_sign(message), padding.PKCS1v15(), algorithm())
    except InvalidSignature:
        raise SNSVerificationError(
            "signature",
            f"the SignatureVersion {message.signature_version} signature does not match the "
            "message",
        ) from None
