"""A test certificate authority that signs SNS messages the way SNS does (imported by tests)."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from glasswork_email.sns.message import SNSMessage
from glasswork_email.sns.signature import string_to_sign

CERT_URL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem"


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _certificate(
    subject: str,
    key: rsa.RSAPrivateKey,
    issuer: str,
    issuer_key: rsa.RSAPrivateKey,
    *,
    not_before: datetime,
    not_after: datetime,
    ca: bool = False,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    return builder.sign(issuer_key, hashes.SHA256())


@dataclass
class SigningAuthority:
    """A CA generated in the test, and signing certificates it issued, served by URL."""

    ca_key: rsa.RSAPrivateKey = field(default_factory=_key)
    served: dict[str, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        now = datetime.now(UTC)
        self.ca = _certificate(
            "Test Root CA",
            self.ca_key,
            "Test Root CA",
            self.ca_key,
            not_before=now - timedelta(days=1),
            not_after=now + timedelta(days=30),
            ca=True,
        )
        self.key = _key()
        self.serve(CERT_URL, self.issue(self.key))

    def issue(
        self,
        key: rsa.RSAPrivateKey,
        *,
        valid_days: tuple[int, int] = (-1, 30),
        issuer_key: rsa.RSAPrivateKey | None = None,
    ) -> x509.Certificate:
        now = datetime.now(UTC)
        return _certificate(
            "sns.amazonaws.com",
            key,
            "Test Root CA",
            issuer_key or self.ca_key,
            not_before=now + timedelta(days=valid_days[0]),
            not_after=now + timedelta(days=valid_days[1]),
        )

    def serve(self, url: str, certificate: x509.Certificate) -> None:
        self.served[url] = certificate.public_bytes(serialization.Encoding.PEM)

    def fetch(self, url: str) -> bytes:
        """The injected certificate fetcher."""
        try:
            return self.served[url]
        except KeyError:
            raise OSError(f"404 for {url}") from None

    def sign(
        self,
        fields: dict[str, Any],
        *,
        version: str = "1",
        key: rsa.RSAPrivateKey | None = None,
        cert_url: str = CERT_URL,
    ) -> dict[str, Any]:
        """``fields`` completed with SignatureVersion, SigningCertURL and a real signature."""
        message = {**fields, "SignatureVersion": version, "SigningCertURL": cert_url}
        parsed = SNSMessage.model_validate({**message, "Signature": ""})
        algorithm = hashes.SHA1() if version == "1" else hashes.SHA256()
        signature = (key or self.key).sign(string_to_sign(parsed), padding.PKCS1v15(), algorithm)
        return {**message, "Signature": base64.b64encode(signature).decode()}
