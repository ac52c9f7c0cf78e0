"""The HTTP requests Lambda receives from a function URL or API Gateway, and its answers.

Three event shapes carry a request: a function URL and an API Gateway HTTP API (payload format
2.0: ``requestContext.http.method``, ``rawQueryString``) and an API Gateway REST API (payload
format 1.0: ``httpMethod``, ``queryStringParameters``). All three accept the same response
object, ``{"statusCode": ..., "headers": ..., "body": ...}``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypedDict
from urllib.parse import parse_qsl

__all__ = ["HTTPRequest", "HTTPResponse", "http_request_of", "http_response"]


class HTTPResponse(TypedDict):
    """What a Lambda HTTP handler returns."""

    statusCode: int
    headers: dict[str, str]
    body: str


@dataclass(frozen=True)
class HTTPRequest:
    """One HTTP request, whichever event shape carried it.

    Parameters:
        method: upper-case method (``GET``, ``POST``).
        headers: header names lower-cased.
        query: query-string parameters (the first value of each).
        body: the raw body (base64 decoded when the event says so).
    """

    method: str
    headers: Mapping[str, str]
    query: Mapping[str, str]
    body: bytes


def http_request_of(event: Mapping[str, Any]) -> HTTPRequest:
    """The request in a function URL, HTTP API or REST API event.

    Raises ``ValueError`` when ``event`` is none of them, or its body is not valid base64.
    """
    context = event.get("requestContext")
    http = context.get("http") if isinstance(context, Mapping) else None
    if isinstance(http, Mapping) and "method" in http:
        method = str(http["method"])
        query = dict(parse_qsl(str(event.get("rawQueryString") or ""), keep_blank_values=True))
    elif "httpMethod" in event:
        method = str(event["httpMethod"])
        parameters = event.get("queryStringParameters") or {}
        query = {str(key): str(value) for key, value in parameters.items()}
    else:
        raise ValueError(
            "not an HTTP event: expected a function URL / HTTP API event (requestContext.http) "
            "or a REST API event (httpMethod)"
        )
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    raw = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            body = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("the body is marked base64 but is not valid base64") from None
    else:
        body = raw.encode() if isinstance(raw, str) else bytes(raw)
    return HTTPRequest(method.upper(), headers, query, body)


def http_response(
    status: int,
    body: str = "",
    *,
    content_type: str = "text/plain; charset=utf-8",
    headers: Mapping[str, str] | None = None,
) -> HTTPResponse:
    """A response for any of the three event shapes (``Cache-Control: no-store`` included)."""
    return {
        "statusCode": status,
        "headers": {"Content-Type": content_type, "Cache-Control": "no-store", **(headers or {})},
        "body": body,
    }
