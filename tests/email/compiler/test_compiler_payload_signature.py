"""Specification of ``glasswork_email.compiler.payload_signature``."""

from __future__ import annotations

from glasswork_email.compiler.payload_signature import (
    TEMPLATED_EMAIL_PARAMETERS,
    derive_templated_email_parameters,
)


def test_the_constant_parameters_match_the_fields_of_templated_email() -> None:
    # when this fails, TemplatedEmail changed: copy the derived tuple into the constant
    assert derive_templated_email_parameters() == TEMPLATED_EMAIL_PARAMETERS
