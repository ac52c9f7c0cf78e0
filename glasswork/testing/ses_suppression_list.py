"""SES v2's account-level suppression list on the local AWS server (moto 5.2.5 lacks it).

``install()`` adds ``PutSuppressedDestination``, ``GetSuppressedDestination``,
``DeleteSuppressedDestination`` and ``ListSuppressedDestinations`` to moto's ``sesv2`` backend
and responses, so the server ``LocalAWS`` starts answers them over HTTP like moto's own SES v2
operations, for any boto3 ``sesv2`` client. As in SES (API v2 reference):

- one list per account and region (kept on moto's ``sesv2`` backend of that account and
  region, so ``LocalAWS.reset`` empties it);
- addresses are kept as given and matched with their exact case; putting an address again
  replaces its reason and its ``LastUpdateTime``;
- ``Reason`` is ``BOUNCE`` or ``COMPLAINT``; anything else, or an ``EmailAddress`` that is no
  address, is ``BadRequestException`` (400);
- getting or deleting an address not on the list is ``NotFoundException`` (404);
- listing filters by ``Reason`` (any of several), ``StartDate`` / ``EndDate`` (last updated
  after / before), and pages by ``PageSize`` with an opaque ``NextToken``; a token this list
  did not hand out is ``InvalidNextTokenException`` (400);
- a ``TenantName`` is ``NotFoundException``: moto knows no tenants.

Where the reference is silent, the emulator chooses: ``PageSize`` is 1 to 1000 (default 1000),
and a listing is ordered by address.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "SuppressedDestination", "install"]

DEFAULT_PAGE_SIZE = 1000
"""Entries per ``ListSuppressedDestinations`` page when the request names no ``PageSize``."""

MAX_PAGE_SIZE = 1000
"""Largest ``PageSize`` the emulator accepts."""

_PATHS = (
    "{0}/v2/email/suppression/addresses$",
    "{0}/v2/email/suppression/addresses/(?P<EmailAddress>[^/]+)$",
)
_REASONS = ("BOUNCE", "COMPLAINT")
_ENTRIES_ATTRIBUTE = "glasswork_suppressed_destinations"


@dataclass
class SuppressedDestination:
    """One entry of an account's suppression list.

    Parameters:
        email_address: the address, as it was put.
        reason: ``"BOUNCE"`` or ``"COMPLAINT"``.
        last_update_time: when it was last put, in seconds since the epoch.
    """

    email_address: str
    reason: str
    last_update_time: float

    def summary(self) -> dict[str, Any]:
        """The entry in the API's ``SuppressedDestination`` / summary shape."""
        return {
            "EmailAddress": self.email_address,
            "Reason": self.reason,
            "LastUpdateTime": self.last_update_time,
        }


def install() -> None:
    """Register the four operations on moto's ``sesv2`` backend and responses (idempotent)."""
    from moto.sesv2 import urls
    from moto.sesv2.models import SESV2Backend
    from moto.sesv2.responses import SESV2Response

    for name, function in _BACKEND_METHODS.items():
        setattr(SESV2Backend, name, function)
    for name, function in _RESPONSE_METHODS.items():
        setattr(SESV2Response, name, function)
    # moto's catch-all "/v2/.*" is a literal path, so these paths need routes of their own.
    urls.url_paths.update(dict.fromkeys(_PATHS, SESV2Response.dispatch))


# Errors ------------------------------------------------------------------------------------


def _error(code: str, status: int, message: str) -> Exception:
    from moto.core.exceptions import JsonRESTError

    error = JsonRESTError(code, message)
    error.code = status
    return error


def _bad_request(message: str) -> Exception:
    return _error("BadRequestException", 400, message)


def _not_found(message: str) -> Exception:
    return _error("NotFoundException", 404, message)


# Backend: the list of one account in one region ---------------------------------------------


def _entries(backend: Any) -> dict[str, SuppressedDestination]:
    entries: dict[str, SuppressedDestination] = backend.__dict__.setdefault(_ENTRIES_ATTRIBUTE, {})
    return entries


def _put(backend: Any, email_address: str, reason: str) -> None:
    if reason not in _REASONS:
        raise _bad_request(f"Reason must be one of {', '.join(_REASONS)}, got {reason!r}")
    local, at, domain = email_address.rpartition("@")
    if not at or not local or not domain or any(c.isspace() for c in email_address):
        raise _bad_request(f"EmailAddress {email_address!r} is not an email address")
    _entries(backend)[email_address] = SuppressedDestination(email_address, reason, time.time())


def _get(backend: Any, email_address: str) -> SuppressedDestination:
    entry = _entries(backend).get(email_address)
    if entry is None:
        raise _not_found(f"Email address {email_address} does not exist on your suppression list")
    return entry


def _delete(backend: Any, email_address: str) -> None:
    if _entries(backend).pop(email_address, None) is None:
        raise _not_found(f"Email address {email_address} does not exist on your suppression list")


def _list(
    backend: Any,
    reasons: list[str],
    start: float | None,
    end: float | None,
    next_token: str | None,
    page_size: int,
) -> tuple[list[SuppressedDestination], str | None]:
    chosen = [
        entry
        for address, entry in sorted(_entries(backend).items())
        if (not reasons or entry.reason in reasons)
        and (start is None or entry.last_update_time >= start)
        and (end is None or entry.last_update_time <= end)
    ]
    if next_token is not None:
        after = _address_of_token(next_token)
        chosen = [entry for entry in chosen if entry.email_address > after]
    page = chosen[:page_size]
    more = len(chosen) > page_size
    return page, _token_after(page[-1].email_address) if more else None


def _token_after(address: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": address}).encode()).decode()


def _address_of_token(token: str) -> str:
    try:
        decoded = json.loads(base64.urlsafe_b64decode(token.encode()))
        after = decoded["after"]
        if isinstance(after, str):
            return after
    except (binascii.Error, ValueError, TypeError, KeyError):
        pass
    raise _error("InvalidNextTokenException", 400, f"NextToken {token!r} is not valid")


_BACKEND_METHODS = {
    "put_suppressed_destination": _put,
    "get_suppressed_destination": _get,
    "delete_suppressed_destination": _delete,
    "list_suppressed_destinations": _list,
}


# Responses: the REST-JSON requests of the four operations -----------------------------------


def _no_tenant(tenant: object) -> None:
    if tenant:
        raise _not_found(f"Tenant {tenant} does not exist (the local server has no tenants)")


def _address_in_path(response: Any) -> str:
    return str(response._get_param("EmailAddress"))


def _respond_put(response: Any) -> str:
    body = json.loads(response.body or "{}")
    _no_tenant(body.get("TenantName"))
    address, reason = body.get("EmailAddress"), body.get("Reason")
    if not isinstance(address, str) or not isinstance(reason, str):
        raise _bad_request("EmailAddress and Reason are required")
    response.sesv2_backend.put_suppressed_destination(address, reason)
    return "{}"


def _respond_get(response: Any) -> str:
    _no_tenant(response._get_param("TenantName"))
    entry = response.sesv2_backend.get_suppressed_destination(_address_in_path(response))
    return json.dumps({"SuppressedDestination": entry.summary()})


def _respond_delete(response: Any) -> str:
    _no_tenant(response._get_param("TenantName"))
    response.sesv2_backend.delete_suppressed_destination(_address_in_path(response))
    return "{}"


def _respond_list(response: Any) -> str:
    query: dict[str, list[str]] = response.querystring
    _no_tenant(query.get("TenantName", [""])[0])
    reasons = query.get("Reason", [])
    for reason in reasons:
        if reason not in _REASONS:
            raise _bad_request(f"Reason must be one of {', '.join(_REASONS)}, got {reason!r}")
    page_size = _page_size(query.get("PageSize", [""])[0])
    token = query.get("NextToken", [None])[0]
    entries, next_token = response.sesv2_backend.list_suppressed_destinations(
        reasons,
        _timestamp(query, "StartDate"),
        _timestamp(query, "EndDate"),
        token,
        page_size,
    )
    answer: dict[str, Any] = {"SuppressedDestinationSummaries": [e.summary() for e in entries]}
    if next_token is not None:
        answer["NextToken"] = next_token
    return json.dumps(answer)


def _page_size(value: str) -> int:
    if not value:
        return DEFAULT_PAGE_SIZE
    try:
        size = int(value)
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise _bad_request(f"PageSize must be between 1 and {MAX_PAGE_SIZE}, got {value!r}")
    return size


def _timestamp(query: dict[str, list[str]], name: str) -> float | None:
    values = query.get(name)
    if not values:
        return None
    value = values[0]
    try:
        return float(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value).timestamp()
    except ValueError:
        raise _bad_request(f"{name} {value!r} is not a timestamp") from None


_RESPONSE_METHODS = {
    "put_suppressed_destination": _respond_put,
    "get_suppressed_destination": _respond_get,
    "delete_suppressed_destination": _respond_delete,
    "list_suppressed_destinations": _respond_list,
}
