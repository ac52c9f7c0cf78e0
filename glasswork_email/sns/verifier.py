"""``SNSMessageVerifier``: every check an SNS message over HTTPS must pass, cheapest first.

1. ``body``: a JSON object; ``fields``: the keys SNS always sends, of the right types.
2. ``topic``: ``TopicArn`` is on the allow-list (nothing is fetched for a foreign topic).
3. ``timestamp``: ``Timestamp`` is within the replay window (default one hour old, five
   minutes ahead).
4. ``signature_version``: 1 or 2 (optionally only 2).
5. ``certificate_url``: ``SigningCertURL`` is https on an SNS host (``certificates.py``).
6. ``certificate``: it loads, is within its validity dates, and (when trust roots are given)
   was issued by one of them.
7. ``signature``: the certificate's key signed the message's string to sign.
8. ``subscribe_url``: a confirmation's ``SubscribeURL`` is https on an SNS host.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from pydantic import ValidationError

from glasswork_email.sns.certificates import (
    CertificateCache,
    CertificateFetcher,
    check_sns_url,
    fetch_certificate_over_https,
)
from glasswork_email.sns.message import SNSMessage, SNSVerificationError
from glasswork_email.sns.signature import verify_signature

__all__ = [
    "DEFAULT_MAX_AGE_SECONDS",
    "DEFAULT_MAX_CLOCK_SKEW_SECONDS",
    "SNSMessageVerifier",
]

DEFAULT_MAX_AGE_SECONDS = 3600.0
"""Oldest message accepted, in seconds after its ``Timestamp`` (SNS retries an HTTPS endpoint
for about an hour under its default delivery policy)."""

DEFAULT_MAX_CLOCK_SKEW_SECONDS = 300.0
"""How far in the future a ``Timestamp`` may be, in seconds."""


class SNSMessageVerifier:
    """Verifies SNS messages; ``verify(body)`` returns the message or raises saying which check
    failed.

    Parameters:
        allowed_topic_arns: the only topics accepted (at least one).
        fetch_certificate: gets a signing certificate's PEM bytes (default: HTTPS with TLS
            verification; tests inject one serving a test certificate).
        trust_roots: certificates that must have issued the signing certificate (default none:
            the HTTPS fetch from an SNS host vouches for it).
        max_age_seconds: oldest ``Timestamp`` accepted, in seconds (default 3600).
        max_clock_skew_seconds: newest ``Timestamp`` accepted ahead of now (default 300).
        signature_versions: the accepted ``SignatureVersion`` values (default ``("1", "2")``;
            ``("2",)`` once your topics sign with SHA256).
        clock: the current time in epoch seconds (default ``time.time``).
    """

    def __init__(
        self,
        allowed_topic_arns: Collection[str],
        *,
        fetch_certificate: CertificateFetcher = fetch_certificate_over_https,
        trust_roots: Sequence[x509.Certificate] = (),
        max_age_seconds: float = DEFAULT_MAX_AGE_SECONDS,
        max_clock_skew_seconds: float = DEFAULT_MAX_CLOCK_SKEW_SECONDS,
        signature_versions: Collection[str] = ("1", "2"),
        clock: Callable[[], float] = time.time,
    ) -> None:
        if isinstance(allowed_topic_arns, str) or not allowed_topic_arns:
            raise ValueError("allowed_topic_arns must list at least one topic ARN")
        self.allowed_topic_arns = frozenset(allowed_topic_arns)
        self.certificates = CertificateCache(fetch_certificate)
        self.trust_roots = tuple(trust_roots)
        self.max_age_seconds = max_age_seconds
        self.max_clock_skew_seconds = max_clock_skew_seconds
        self.signature_versions = frozenset(signature_versions)
        self._clock = clock

    def verify(self, body: str | bytes) -> SNSMessage:
        """The verified message in ``body``; raises ``SNSVerificationError`` otherwise."""
        message = self._parse(body)
        if message.topic_arn not in self.allowed_topic_arns:
            raise SNSVerificationError("topic", f"TopicArn {message.topic_arn!r} is not allowed")
        self._check_timestamp(message.timestamp)
        if message.signature_version not in self.signature_versions:
            raise SNSVerificationError(
                "signature_version",
                f"SignatureVersion {message.signature_version!r} is not accepted "
                f"({', '.join(sorted(self.signature_versions))})",
            )
        certificate = self.certificates.get(message.signing_cert_url)
        self._check_certificate(certificate)
        verify_signature(message, certificate)
        if message.type != "Notification":
            check_sns_url(message.subscribe_url or "", check="subscribe_url")
        return message

    def _parse(self, body: str | bytes) -> SNSMessage:
        try:
            data = json.loads(body)
        except ValueError as error:
            raise SNSVerificationError("body", f"not JSON ({error})") from None
        if not isinstance(data, dict):
            raise SNSVerificationError("body", "not a JSON object")
        try:
            return SNSMessage.model_validate(data)
        except ValidationError as error:
            fields = ", ".join(
                str(e["loc"][0]) for e in error.errors(include_url=False) if e["loc"]
            )
            raise SNSVerificationError("fields", f"missing or malformed: {fields}") from None

    def _check_timestamp(self, timestamp: str) -> None:
        try:
            sent = datetime.fromisoformat(timestamp)
        except ValueError:
            raise SNSVerificationError("timestamp", f"{timestamp!r} is not a timestamp") from None
        if sent.tzinfo is None:
            sent = sent.replace(tzinfo=UTC)
        age = self._clock() - sent.timestamp()
        if age > self.max_age_seconds:
            raise SNSVerificationError(
                "timestamp", f"{timestamp} is {age:.0f} s old (at most {self.max_age_seconds:.0f})"
            )
        if age < -self.max_clock_skew_seconds:
            raise SNSVerificationError("timestamp", f"{timestamp} is in the future")

    def _check_certificate(self, certificate: x509.Certificate) -> None:
        now = datetime.fromtimestamp(self._clock(), UTC)
        if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
            raise SNSVerificationError(
                "certificate",
                f"the signing certificate is valid from {certificate.not_valid_before_utc} to "
                f"{certificate.not_valid_after_utc}, not now",
            )
        if not self.trust_roots:
            return
        for root in self.trust_roots:
            try:
                certificate.verify_directly_issued_by(root)
            except (ValueError, TypeError, InvalidSignature):
                continue
            return
        raise SNSVerificationError(
            "certificate", "the signing certificate was not issued by a trusted root"
        )
