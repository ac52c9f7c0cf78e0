"""Where SNS signing certificates may come from, and a cache of the ones fetched.

A ``SigningCertURL`` is trusted only over ``https``, on port 443, without user information,
for a ``.pem`` file, on an SNS host of an AWS partition: ``sns.<region>.amazonaws.com``
(commercial and GovCloud regions, e.g. ``sns.us-gov-west-1.amazonaws.com``) or
``sns.<region>.amazonaws.com.cn`` (China). The host must be exactly that: look-alikes such as
``sns.us-east-1.amazonaws.com.evil.example`` fail.
"""

from __future__ import annotations

import re
import threading
import urllib.request
from collections import OrderedDict
from collections.abc import Callable
from urllib.parse import urlsplit

from cryptography import x509

from glasswork_email.sns.message import SNSVerificationError

__all__ = [
    "CERTIFICATE_CACHE_SIZE",
    "CERTIFICATE_FETCH_TIMEOUT_SECONDS",
    "CertificateCache",
    "CertificateFetcher",
    "check_sns_url",
    "fetch_certificate_over_https",
    "is_sns_host",
]

CERTIFICATE_FETCH_TIMEOUT_SECONDS = 5.0
"""How long fetching a signing certificate may take, in seconds."""

CERTIFICATE_CACHE_SIZE = 32
"""Most certificates kept (SNS uses a few per region and rotates them rarely)."""

_SNS_HOST = re.compile(r"sns\.[a-z]{2}(?:-gov)?-[a-z]+-\d\.amazonaws\.com(?:\.cn)?")

CertificateFetcher = Callable[[str], bytes]
"""``fetch(url)`` → the PEM bytes of the certificate at ``url`` (tests inject their own)."""


def is_sns_host(host: str) -> bool:
    """Whether ``host`` is exactly an SNS endpoint host of an AWS partition."""
    return _SNS_HOST.fullmatch(host) is not None


def check_sns_url(url: str, *, check: str, pem: bool = False) -> None:
    """Raise ``SNSVerificationError(check)`` unless ``url`` is ``https`` on an SNS host.

    Parameters:
        url: the URL to judge.
        check: the check's name in the error (``certificate_url``, ``subscribe_url``).
        pem: require the path to end in ``.pem`` (for signing certificates).
    """
    parts = urlsplit(url)
    if parts.scheme != "https":
        raise SNSVerificationError(check, f"{url!r} is not https")
    if parts.username is not None or parts.password is not None:
        raise SNSVerificationError(check, f"{url!r} carries user information")
    try:
        port = parts.port
    except ValueError:
        raise SNSVerificationError(check, f"{url!r} has an invalid port") from None
    if port not in (None, 443):
        raise SNSVerificationError(check, f"{url!r} is not on port 443")
    host = parts.hostname or ""
    if not is_sns_host(host) or parts.netloc.lower() not in (host, f"{host}:443"):
        raise SNSVerificationError(check, f"{host!r} is not an SNS host")
    if pem and not parts.path.endswith(".pem"):
        raise SNSVerificationError(check, f"{url!r} is not a .pem file")


def fetch_certificate_over_https(url: str) -> bytes:
    """The default fetcher: GET ``url`` with TLS verification and a 5 s timeout."""
    with urllib.request.urlopen(url, timeout=CERTIFICATE_FETCH_TIMEOUT_SECONDS) as response:
        data: bytes = response.read()
        return data


class CertificateCache:
    """Signing certificates by URL, fetched once each (a warm cache of the Lambda).

    Parameters:
        fetch: gets a certificate's PEM bytes (default: over HTTPS, TLS verified).
        size: most certificates kept (default 32; the oldest goes first).
    """

    def __init__(
        self,
        fetch: CertificateFetcher = fetch_certificate_over_https,
        *,
        size: int = CERTIFICATE_CACHE_SIZE,
    ) -> None:
        self._fetch = fetch
        self._size = size
        self._certificates: OrderedDict[str, x509.Certificate] = OrderedDict()
        self._lock = threading.Lock()
        self.fetches = 0
        """How many certificates were fetched (not served from the cache)."""

    def get(self, url: str) -> x509.Certificate:
        """The certificate at ``url`` (checked with ``check_sns_url`` first).

        Raises ``SNSVerificationError`` (``certificate_url`` or ``certificate``).
        """
        check_sns_url(url, check="certificate_url", pem=True)
        with self._lock:
            cached = self._certificates.get(url)
            if cached is not None:
                self._certificates.move_to_end(url)
                return cached
        try:
            pem = self._fetch(url)
            self.fetches += 1
            certificate = x509.load_pem_x509_certificate(pem)
        except (OSError, ValueError) as error:
            raise SNSVerificationError(
                "certificate", f"cannot load the certificate at {url!r}: {error}"
            ) from None
        with self._lock:
            self._certificates[url] = certificate
            while len(self._certificates) > self._size:
                self._certificates.popitem(last=False)
        return certificate
