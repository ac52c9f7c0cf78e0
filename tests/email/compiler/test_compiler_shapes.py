"""Specification of ``glasswork_email.compiler.shapes`` (what the inference tests leave out)."""

from __future__ import annotations

from glasswork_email.compiler.shapes import PYDANTIC_RESERVED_NAMES, reserved_names_of_base_model


def test_the_constant_reserved_names_match_the_attributes_of_base_model() -> None:
    # when this fails, pydantic changed: copy the derived names into the constant
    assert reserved_names_of_base_model() == PYDANTIC_RESERVED_NAMES
