"""Specification of ``validate_email_address``: its domain check, ASCII and internationalised."""

from __future__ import annotations

import subprocess
import sys

import pytest

from glasswork_email.address import (
    InvalidEmailAddressError,
    to_ascii_domain,
    validate_email_address,
)


@pytest.mark.parametrize(
    "address",
    [
        "ann@example.com",
        "Ann <ann@mail.example.co.uk>",
        f"ann@{'a' * 63}.example",
        "ann@bücher.example",
        "ann@xn--bcher-kva.example",
    ],
)
def test_a_well_formed_domain_is_accepted(address: str) -> None:
    assert validate_email_address(f"  {address} ") == address


@pytest.mark.parametrize(
    "domain",
    [
        "localhost",  # a single label
        "example.com.",  # an empty last label
        "example..com",  # an empty label
        f"{'a' * 64}.example",  # a label over 63 characters
        "-example.com",  # a label starting with a hyphen
        "exa_mple.com",  # a character no hostname has
        f"{'ü' * 64}.example",  # an internationalised label too long once encoded
        "bü..example",  # an internationalised domain with an empty label
    ],
)
def test_a_malformed_domain_is_rejected_with_the_address(domain: str) -> None:
    with pytest.raises(InvalidEmailAddressError, match="has an invalid domain") as error:
        validate_email_address(f"ann@{domain}")
    assert f"ann@{domain}" in str(error.value)


@pytest.mark.parametrize(
    "domain",
    [
        "",
        "example.com",
        "example.com.",
        "example..com",
        ".example.com",
        f"{'a' * 63}.example",
        f"{'a' * 64}.example",
        f"example.{'a' * 64}",
        "bücher.example",
        f"{'ü' * 64}.example",
    ],
)
def test_to_ascii_domain_gives_what_the_idna_codec_gives(domain: str) -> None:
    try:
        expected = domain.encode("idna").decode("ascii")
    except UnicodeError:
        with pytest.raises(UnicodeError):
            to_ascii_domain(domain)
    else:
        assert to_ascii_domain(domain) == expected


def test_an_ascii_address_is_checked_without_loading_the_idna_codec() -> None:
    # The IDNA codec (stringprep, unicodedata) is a cold-start cost only non-ASCII domains pay.
    script = (
        "import sys\n"
        "from glasswork_email.address import validate_email_address\n"
        "from glasswork_email.transports.mime import ascii_address\n"
        "validate_email_address('Ann <ann@example.com>')\n"
        "assert ascii_address('Ann <ann@example.com>') == 'ann@example.com'\n"
        "print('encodings.idna' in sys.modules)\n"
        "validate_email_address('ann@bücher.example')\n"
        "print('encodings.idna' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "True"]
