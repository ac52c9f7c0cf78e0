"""Email addresses as a validated string type: ``EmailAddress``.

Accepts ``user@example.com`` and ``"Display Name <user@example.com>"``; rejects anything with
CR/LF (header injection), a bidi override control (a display name that reads backwards), a
lone surrogate (unencodable), a missing or malformed local part or domain. Deliberately light: no
DNS lookups, no third-party validator on the worker's import path.
"""

from __future__ import annotations

import re
from email.utils import parseaddr
from typing import Annotated

from pydantic import AfterValidator

from glasswork_email.text_checks import find_bidi_control, find_lone_surrogate

__all__ = [
    "EmailAddress",
    "InvalidEmailAddressError",
    "address_only",
    "to_ascii_domain",
    "validate_email_address",
]

_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+|\"[^\"\r\n]+\"")
_DOMAIN_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
MAX_ADDRESS_LENGTH = 320
"""Longest address accepted, in characters (64 local part + @ + 255 domain)."""


class InvalidEmailAddressError(ValueError):
    """An email address is malformed; the message says how."""


def validate_email_address(value: str) -> str:
    """Return ``value`` stripped when it is a well-formed address; raise otherwise."""
    if "\r" in value or "\n" in value:
        raise InvalidEmailAddressError(f"email address {value!r} contains a line break")
    if find_bidi_control(value) is not None:
        raise InvalidEmailAddressError(
            f"email address {value!r} contains a bidirectional override control, which can "
            "disguise the display name"
        )
    if find_lone_surrogate(value) is not None:
        raise InvalidEmailAddressError(
            f"email address {value!r} contains a lone surrogate, which cannot be encoded"
        )
    value = value.strip()
    address = address_only(value)
    if len(address) > MAX_ADDRESS_LENGTH:
        raise InvalidEmailAddressError(f"email address {address!r} is longer than 320 characters")
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        raise InvalidEmailAddressError(f"email address {value!r} must look like name@domain")
    if len(local) > 64 or not _LOCAL_PART.fullmatch(local) or ".." in local:
        raise InvalidEmailAddressError(f"email address {value!r} has an invalid local part")
    try:
        ascii_domain = to_ascii_domain(domain)
    except UnicodeError:
        raise InvalidEmailAddressError(f"email address {value!r} has an invalid domain") from None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_DOMAIN_LABEL.fullmatch(label) for label in labels):
        raise InvalidEmailAddressError(f"email address {value!r} has an invalid domain")
    return value


def to_ascii_domain(domain: str) -> str:
    """``domain`` in ASCII: IDNA (punycode) labels for a non-ASCII domain, as
    ``domain.encode("idna")`` gives them; raises ``UnicodeError`` for an empty or too long label.
    """
    if not domain.isascii():
        return domain.encode("idna").decode("ascii")
    # The IDNA codec's own rule for an ASCII domain, without loading the codec (it imports
    # stringprep and unicodedata: ~3 ms of a worker's cold start).
    *labels, last = domain.split(".")
    if not all(0 < len(label) < 64 for label in labels):
        raise UnicodeError("label empty or too long")
    if len(last) >= 64:
        raise UnicodeError("label too long")
    return domain


def address_only(value: str) -> str:
    """The bare ``user@domain`` of an address that may carry a display name."""
    if "<" in value:
        _name, address = parseaddr(value)
        return address
    return value.strip()


EmailAddress = Annotated[str, AfterValidator(validate_email_address)]
"""A ``str`` that pydantic validates as an email address (optionally with a display name)."""
