"""Specification of ``EmailMessage`` and ``Attachment`` validation."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from glasswork.jobs.errors import PermanentJobError
from glasswork_email.errors import InvalidEmailMessageError
from glasswork_email.message import MAX_RECIPIENTS, Attachment, EmailMessage


def message(**overrides: object) -> EmailMessage:
    fields: dict[str, object] = {"to": "ann@example.com", "subject": "Hi", "text": "Hello"}
    fields.update(overrides)
    return EmailMessage(**fields)  # type: ignore[arg-type]


def field_of(error: pytest.ExceptionInfo[InvalidEmailMessageError]) -> str:
    return error.value.field


def test_a_single_address_becomes_a_one_element_tuple() -> None:
    assert message(to="Ann <ann@example.com>").to == ("Ann <ann@example.com>",)


def test_recipients_lists_to_then_cc_then_bcc() -> None:
    sent = message(to=["a@example.com"], cc="c@example.com", bcc=["b@example.com"])
    assert sent.recipients == ("a@example.com", "c@example.com", "b@example.com")


@pytest.mark.parametrize("field", ["to", "cc", "bcc", "reply_to", "from_"])
def test_a_malformed_address_names_its_field(field: str) -> None:
    with pytest.raises(InvalidEmailMessageError) as error:
        message(**{field: "not-an-address"})
    assert field_of(error) == field


def test_a_malformed_address_in_a_list_names_its_position() -> None:
    with pytest.raises(InvalidEmailMessageError) as error:
        message(to=["ann@example.com", "bob@"])
    assert field_of(error) == "to[1]"


def test_an_address_with_a_line_break_is_refused() -> None:
    with pytest.raises(InvalidEmailMessageError, match="line break"):
        message(to="ann@example.com\r\nBcc: victim@example.com")


def test_a_message_needs_a_recipient() -> None:
    with pytest.raises(InvalidEmailMessageError) as error:
        message(to=[])
    assert field_of(error) == "to"


def test_more_than_fifty_recipients_is_refused_naming_the_limit() -> None:
    many = [f"user{number}@example.com" for number in range(MAX_RECIPIENTS)]
    message(to=many)  # exactly 50 is fine
    with pytest.raises(InvalidEmailMessageError, match="at most 50") as error:
        message(to=many, bcc="one-more@example.com")
    assert field_of(error) == "to"


@pytest.mark.parametrize("subject", ["Hi\r\nBcc: x@example.com", "Hi\nthere", ""])
def test_a_subject_with_a_line_break_or_empty_is_refused(subject: str) -> None:
    with pytest.raises(InvalidEmailMessageError) as error:
        message(subject=subject)
    assert field_of(error) == "subject"


def test_a_message_needs_a_body() -> None:
    with pytest.raises(InvalidEmailMessageError, match="html body, a text body or both"):
        message(text=None)


def test_header_values_with_line_breaks_are_refused_naming_the_header() -> None:
    with pytest.raises(InvalidEmailMessageError) as error:
        message(headers={"X-Campaign": "spring\r\nBcc: victim@example.com"})
    assert field_of(error) == "headers['X-Campaign']"


@pytest.mark.parametrize("name", ["X Bad", "X:Bad", "Ünï", ""])
def test_malformed_header_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidEmailMessageError):
        message(headers={name: "value"})


@pytest.mark.parametrize("name", ["Subject", "bcc", "Content-Type", "List-Unsubscribe"])
def test_headers_the_message_sets_itself_are_refused(name: str) -> None:
    with pytest.raises(InvalidEmailMessageError, match="own fields"):
        message(headers={name: "value"})


@pytest.mark.parametrize(
    "tags", [{"campaign": "spring sale"}, {"bad name": "x"}, {"x": ""}, {"x": "a" * 256}]
)
def test_tags_outside_ses_character_rules_are_refused(tags: dict[str, str]) -> None:
    with pytest.raises(InvalidEmailMessageError) as error:
        message(tags=tags)
    assert field_of(error).startswith("tags[")


def test_a_message_over_forty_megabytes_is_refused_naming_the_attachments() -> None:
    big = Attachment(content=bytes(31_000_000), filename="video.mp4")
    with pytest.raises(InvalidEmailMessageError, match="40,000,000") as error:
        message(attachments=[big])
    assert field_of(error) == "attachments"


def test_an_attachment_with_a_line_break_in_its_filename_names_its_position() -> None:
    good = Attachment(content=b"1", filename="a.txt")
    bad = Attachment(content=b"2", filename="b.txt\r\nX-Evil: 1")
    with pytest.raises(InvalidEmailMessageError) as error:
        message(attachments=[good, bad])
    assert field_of(error) == "attachments[1]"


def test_an_attachment_content_type_is_guessed_from_its_filename() -> None:
    assert Attachment(content=b"%PDF", filename="invoice.pdf").content_type == "application/pdf"
    assert Attachment(content=b"?", filename="blob").content_type == "application/octet-stream"


def test_an_inline_image_content_id_is_given_without_angle_brackets() -> None:
    with pytest.raises(InvalidEmailMessageError, match="angle brackets"):
        message(
            html="<img src='cid:logo'>",
            attachments=[Attachment(content=b"x", filename="logo.png", content_id="<logo>")],
        )


def test_a_non_https_unsubscribe_url_is_refused() -> None:
    with pytest.raises(InvalidEmailMessageError) as error:
        message(unsubscribe_url="http://example.com/unsubscribe")
    assert field_of(error) == "unsubscribe_url"


def test_replace_revalidates_the_changed_message() -> None:
    original = message()
    assert replace(original, from_="app@example.com").from_ == "app@example.com"
    with pytest.raises(InvalidEmailMessageError):
        replace(original, subject="a\nb")


def test_an_invalid_message_is_a_permanent_job_error_so_it_is_never_retried() -> None:
    with pytest.raises(PermanentJobError):
        message(to="nobody")


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"subject": "Hi \udcff"}, "subject"),
        ({"html": "<p>\ud800</p>"}, "html"),
        ({"text": "broken \udfff"}, "text"),
        ({"headers": {"X-Note": "a\udcffb"}}, "headers['X-Note']"),
    ],
)
def test_a_lone_surrogate_is_refused_as_permanent_naming_the_field(
    fields: dict[str, Any], named: str
) -> None:
    base: dict[str, Any] = {"to": "ann@example.com", "subject": "Hi", "text": "Hello"}
    with pytest.raises(InvalidEmailMessageError, match="lone surrogate") as error:
        EmailMessage(**{**base, **fields})
    assert error.value.field == named
    assert isinstance(error.value, PermanentJobError)


def test_bidi_override_controls_are_stripped_from_the_subject() -> None:
    message = EmailMessage(to="ann@example.com", subject="Invoice \u202egnp.exe\u202c", text="x")
    assert message.subject == "Invoice gnp.exe"


def test_a_display_name_with_a_bidi_override_is_refused() -> None:
    with pytest.raises(InvalidEmailMessageError, match="bidirectional override") as error:
        EmailMessage(to="\u202eAnn <ann@example.com>", subject="Hi", text="x")
    assert error.value.field == "to"
