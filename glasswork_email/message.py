"""``EmailMessage`` and ``Attachment``: one email, validated before any provider sees it.

Every check names the field at fault (``InvalidEmailMessageError.field``): well-formed
addresses, no CR/LF in anything that becomes a header, SES's limits (50 recipients, 40 MB),
text that can be encoded (no lone surrogates). Bidi override controls are stripped from the
subject. ``check_recipient_count``, ``check_subject`` and ``check_tags`` are the same rules for
the payload models, which apply them at enqueue.
"""

from __future__ import annotations

import math
import mimetypes
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from glasswork_email.address import InvalidEmailAddressError, address_only, validate_email_address
from glasswork_email.errors import InvalidEmailMessageError
from glasswork_email.text_checks import find_bidi_control, find_lone_surrogate, strip_bidi_controls
from glasswork_email.unsubscribe_headers import validate_unsubscribe_url

__all__ = [
    "MAX_HEADER_LINE_CHARACTERS",
    "MAX_MESSAGE_SIZE_BYTES",
    "MAX_RECIPIENTS",
    "MAX_TAG_CHARACTERS",
    "RESERVED_HEADERS",
    "Attachment",
    "EmailMessage",
    "bare_address",
    "check_recipient_count",
    "check_subject",
    "check_tags",
    "checked_addresses",
]

MAX_RECIPIENTS = 50
"""Most recipients (to + cc + bcc together) SES accepts for one message."""

MAX_MESSAGE_SIZE_BYTES = 40_000_000
"""Largest message SES v2 accepts, in bytes, after MIME encoding (attachments base64-encoded)."""

MAX_TAG_CHARACTERS = 255
"""Longest SES message tag name or value, in characters."""

MAX_HEADER_LINE_CHARACTERS = 998
"""Longest header line (``Name: value``) RFC 5322 allows, in characters, without CRLF."""

RESERVED_HEADERS = frozenset(
    {
        "from",
        "to",
        "cc",
        "bcc",
        "reply-to",
        "subject",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
        "list-unsubscribe",
        "list-unsubscribe-post",
    }
)
"""Header names set from the message's own fields; giving them in ``headers`` is an error."""

_HEADER_NAME = re.compile(r"[!-9;-~]+")  # printable ASCII except ":" (RFC 5322 ftext)
_TAG = re.compile(r"[A-Za-z0-9_-]+")
# A pattern, not a compiled regex: re compiles (and caches) it with the first attachment, not at
# import, as most emails have none.
_CONTENT_TYPE = r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*"
# base64 grows content by 4/3 and adds a CRLF every 76 characters.
_BASE64_GROWTH = 4 / 3 * 78 / 76


def _has_line_break(value: str) -> bool:
    return "\r" in value or "\n" in value or "\0" in value


@dataclass(frozen=True, kw_only=True)
class Attachment:
    """A file attached to an email, or an inline image when ``content_id`` is given.

    Parameters:
        content: the file's bytes.
        filename: the name the recipient sees (no CR/LF).
        content_type: ``type/subtype``; default: guessed from ``filename``, else
            ``application/octet-stream``.
        content_id: makes the attachment an inline part the HTML references as ``cid:<id>``
            (give the id without angle brackets); default ``None``, a regular attachment.
    """

    content: bytes
    filename: str
    content_type: str = ""
    content_id: str | None = None

    def __post_init__(self) -> None:
        if not self.content_type:
            guessed, _encoding = mimetypes.guess_type(self.filename)
            object.__setattr__(self, "content_type", guessed or "application/octet-stream")

    @property
    def inline(self) -> bool:
        """Whether this is an inline part (it has a ``content_id``)."""
        return self.content_id is not None

    def validate(self, position: int) -> None:
        """Raise ``InvalidEmailMessageError`` naming ``attachments[position]`` when invalid."""
        where = f"attachments[{position}]"
        if not isinstance(self.content, bytes | bytearray | memoryview):
            raise InvalidEmailMessageError(where, "content must be bytes")
        if not self.filename.strip() or _has_line_break(self.filename):
            raise InvalidEmailMessageError(
                where, f"filename {self.filename!r} must be non-empty and have no CR/LF"
            )
        if not re.fullmatch(_CONTENT_TYPE, self.content_type):
            raise InvalidEmailMessageError(
                where, f"content_type {self.content_type!r} must look like 'type/subtype'"
            )
        if self.content_id is not None and (
            not self.content_id
            or _has_line_break(self.content_id)
            or "<" in self.content_id
            or ">" in self.content_id
            or " " in self.content_id
        ):
            raise InvalidEmailMessageError(
                where,
                f"content_id {self.content_id!r} must be non-empty, without spaces, CR/LF or "
                "angle brackets (reference it in the HTML as 'cid:<content_id>')",
            )


@dataclass(frozen=True, init=False)
class EmailMessage:
    """One email, validated on construction.

    Parameters:
        to: one address or a sequence of addresses (``"a@x.com"`` or ``"Ann <a@x.com>"``).
        subject: the subject line (non-empty, no CR/LF).
        html: the HTML body (default none; at least one of ``html`` and ``text`` is required).
        text: the plain-text body (default none).
        from_: the sender; default ``None`` lets ``EmailService`` fill in its ``from_``.
            A transport refuses a message without one.
        cc: carbon-copy addresses (default none).
        bcc: blind-copy addresses, never written into the message's headers (default none).
        reply_to: Reply-To addresses (default none).
        headers: extra headers (name → value); names of headers the message sets itself
            (``RESERVED_HEADERS``) are refused.
        attachments: files and inline images (default none).
        tags: SES message tags (name → value; letters, digits, ``_`` and ``-``), passed to the
            provider for event publishing (default none).
        unsubscribe_url: an ``https`` URL that adds the one-click ``List-Unsubscribe`` and
            ``List-Unsubscribe-Post`` headers (RFC 8058; Gmail/Yahoo bulk-sender rules).

    Raises ``InvalidEmailMessageError`` naming the field when any of the above is violated,
    when there are no recipients or more than 50, or when the message would exceed 40 MB.
    """

    to: tuple[str, ...]
    subject: str
    html: str | None
    text: str | None
    from_: str | None
    cc: tuple[str, ...]
    bcc: tuple[str, ...]
    reply_to: tuple[str, ...]
    headers: Mapping[str, str]
    attachments: tuple[Attachment, ...]
    tags: Mapping[str, str]
    unsubscribe_url: str | None

    def __init__(
        self,
        *,
        to: str | Sequence[str],
        subject: str,
        html: str | None = None,
        text: str | None = None,
        from_: str | None = None,
        cc: str | Sequence[str] = (),
        bcc: str | Sequence[str] = (),
        reply_to: str | Sequence[str] = (),
        headers: Mapping[str, str] | None = None,
        attachments: Sequence[Attachment] = (),
        tags: Mapping[str, str] | None = None,
        unsubscribe_url: str | None = None,
    ) -> None:
        set_field = object.__setattr__
        set_field(self, "to", checked_addresses("to", to))
        set_field(self, "cc", checked_addresses("cc", cc))
        set_field(self, "bcc", checked_addresses("bcc", bcc))
        set_field(self, "reply_to", checked_addresses("reply_to", reply_to))
        set_field(self, "from_", None if from_ is None else checked_addresses("from_", from_)[0])
        set_field(
            self, "subject", strip_bidi_controls(subject) if isinstance(subject, str) else subject
        )
        set_field(self, "html", html)
        set_field(self, "text", text)
        set_field(self, "headers", MappingProxyType(dict(headers or {})))
        set_field(self, "attachments", tuple(attachments))
        set_field(self, "tags", MappingProxyType(dict(tags or {})))
        set_field(self, "unsubscribe_url", unsubscribe_url)
        self._validate()

    @property
    def recipients(self) -> tuple[str, ...]:
        """Every envelope recipient: ``to``, then ``cc``, then ``bcc``."""
        return (*self.to, *self.cc, *self.bcc)

    def estimated_size_bytes(self) -> int:
        """An upper estimate of the encoded message's size, in bytes (bodies and attachments)."""
        body = sum(len(part.encode()) for part in (self.html or "", self.text or "", self.subject))
        files = sum(len(attachment.content) for attachment in self.attachments)
        return math.ceil((body + files) * _BASE64_GROWTH) + 4096

    def _validate(self) -> None:
        check_recipient_count(len(self.recipients))
        check_subject(self.subject)
        if not self.html and not self.text:
            raise InvalidEmailMessageError("html", "give an html body, a text body or both")
        self._validate_headers()
        for position, attachment in enumerate(self.attachments):
            attachment.validate(position)
        check_tags(self.tags)
        self._validate_encodable()
        if self.unsubscribe_url is not None:
            validate_unsubscribe_url(self.unsubscribe_url)
        size = self.estimated_size_bytes()
        if size > MAX_MESSAGE_SIZE_BYTES:
            field_name = "attachments" if self.attachments else "html"
            raise InvalidEmailMessageError(
                field_name,
                f"the encoded message would be about {size:,} bytes; SES accepts at most "
                f"{MAX_MESSAGE_SIZE_BYTES:,}: link to large files instead of attaching them",
            )

    def _validate_headers(self) -> None:
        for name, value in self.headers.items():
            where = f"headers[{name!r}]"
            if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
                raise InvalidEmailMessageError(
                    where, "header names are printable ASCII without spaces or ':'"
                )
            if name.lower() in RESERVED_HEADERS:
                raise InvalidEmailMessageError(
                    where, f"{name} is set from the message's own fields; use those instead"
                )
            if not isinstance(value, str) or _has_line_break(value):
                raise InvalidEmailMessageError(where, "value must be a string without CR/LF")
            if len(name) + 2 + len(value) > MAX_HEADER_LINE_CHARACTERS:
                raise InvalidEmailMessageError(
                    where, f"the header line is longer than {MAX_HEADER_LINE_CHARACTERS} characters"
                )

    def _validate_encodable(self) -> None:
        texts: list[tuple[str, str | None]] = [
            ("subject", self.subject),
            ("html", self.html),
            ("text", self.text),
            *((f"headers[{name!r}]", value) for name, value in self.headers.items()),
            *(
                (f"attachments[{position}]", attachment.filename)
                for position, attachment in enumerate(self.attachments)
            ),
        ]
        for field_name, text in texts:
            position = None if text is None else find_lone_surrogate(text)
            if position is not None:
                raise InvalidEmailMessageError(field_name, _lone_surrogate_problem(position))


def _lone_surrogate_problem(position: int) -> str:
    return (
        f"character {position} is a lone surrogate (an unpaired UTF-16 half such as "
        "'\\udcff'), which no email encoding can carry: send valid Unicode text"
    )


def check_recipient_count(count: int) -> None:
    """Raise ``InvalidEmailMessageError`` naming ``to`` unless 1 <= ``count`` <= 50."""
    if count < 1:
        raise InvalidEmailMessageError("to", "the message needs at least one recipient")
    if count > MAX_RECIPIENTS:
        raise InvalidEmailMessageError(
            "to",
            f"{count} recipients (to + cc + bcc); SES accepts at most {MAX_RECIPIENTS} per "
            "message: send several messages",
        )


def check_subject(subject: object, *, refuse_bidi_controls: bool = False) -> None:
    """Raise ``InvalidEmailMessageError`` naming ``subject`` unless it is a non-empty, one-line,
    encodable string (and, with ``refuse_bidi_controls``, free of bidi override controls)."""
    if not isinstance(subject, str) or not subject.strip():
        raise InvalidEmailMessageError("subject", "must be a non-empty string")
    if _has_line_break(subject):
        raise InvalidEmailMessageError("subject", "must not contain CR, LF or NUL")
    position = find_lone_surrogate(subject)
    if position is not None:
        raise InvalidEmailMessageError("subject", _lone_surrogate_problem(position))
    position = find_bidi_control(subject) if refuse_bidi_controls else None
    if position is not None:
        raise InvalidEmailMessageError(
            "subject",
            f"character {position} is a bidirectional override control "
            f"(U+{ord(subject[position]):04X}), which can disguise what the reader sees",
        )


def check_tags(tags: Mapping[str, str]) -> None:
    """Raise ``InvalidEmailMessageError`` naming ``tags['name']`` for the first tag whose name or
    value is not 1 to 255 ASCII letters, digits, ``_`` or ``-`` (SES's rule)."""
    for name, value in tags.items():
        for part in (name, value):
            if (
                not isinstance(part, str)
                or not _TAG.fullmatch(part)
                or len(part) > MAX_TAG_CHARACTERS
            ):
                raise InvalidEmailMessageError(
                    f"tags[{name!r}]",
                    f"{part!r}: tag names and values are 1 to {MAX_TAG_CHARACTERS} ASCII "
                    "letters, digits, '_' or '-'",
                )


def checked_addresses(field_name: str, value: str | Sequence[str]) -> tuple[str, ...]:
    """``value`` as a tuple of validated addresses; ``InvalidEmailMessageError`` names
    ``field_name`` (and the position) of the first bad one."""
    items = (value,) if isinstance(value, str) else tuple(value)
    checked: list[str] = []
    for position, item in enumerate(items):
        where = field_name if isinstance(value, str) else f"{field_name}[{position}]"
        if not isinstance(item, str):
            raise InvalidEmailMessageError(where, f"expected an address string, got {item!r}")
        try:
            checked.append(validate_email_address(item))
        except InvalidEmailAddressError as error:
            raise InvalidEmailMessageError(where, str(error)) from None
    return tuple(checked)


def bare_address(address: str) -> str:
    """``user@domain`` of an address that may carry a display name, lower-cased."""
    return address_only(address).lower()
