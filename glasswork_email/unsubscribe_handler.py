"""``UnsubscribeHandler``: the Lambda behind the one-click unsubscribe URL (RFC 8058).

- ``POST`` (the mail client's one-click request, or the confirmation page's button) with a
  valid token writes an ``unsubscribe`` suppression for the token's recipient and topic.
- ``GET`` (a person following the link) shows a page with a button that POSTs; it changes
  nothing, since mail scanners fetch links by themselves.
- A malformed token gets 400, a tampered or expired one 403, and nothing is written.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping
from typing import Any

from glasswork_email.lambda_http import HTTPResponse, http_request_of, http_response
from glasswork_email.suppression.base import Suppression, SuppressionReason, SuppressionStore
from glasswork_email.unsubscribe import InvalidUnsubscribeTokenError, UnsubscribeLinks

__all__ = ["UnsubscribeHandler"]

logger = logging.getLogger(__name__)

_HTML = "text/html; charset=utf-8"
_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="robots" content="noindex"><title>{title}</title></head>
<body><main><h1>{title}</h1><p>{text}</p>{form}</main></body></html>
"""
_FORM = (
    '<form method="post" action="?token={token}">'
    '<input type="hidden" name="confirmed" value="page">'
    '<button type="submit">Unsubscribe</button></form>'
)


class UnsubscribeHandler:
    """The Lambda handler (function URL, API Gateway HTTP API or REST API) of unsubscribe links.

    Parameters:
        links: verifies the ``token`` query parameter (the same keys that signed it).
        store: where the ``unsubscribe`` suppression is written.
        brand: shown in the page's title (default ``"our emails"``).
    """

    def __init__(
        self, links: UnsubscribeLinks, store: SuppressionStore, *, brand: str = "our emails"
    ) -> None:
        self.links = links
        self.store = store
        self.brand = brand

    def __call__(self, event: Mapping[str, Any], context: Any = None) -> HTTPResponse:
        """Answer one request: 200 page, or 400/403/405 saying why not."""
        try:
            request = http_request_of(event)
        except ValueError as error:
            logger.warning("refused unsubscribe request: %s", error)
            return self._page(400, "Bad request", "This is not a valid unsubscribe request.")
        if request.method not in ("GET", "POST"):
            return http_response(405, "use GET or POST", headers={"Allow": "GET, POST"})
        token = request.query.get("token", "")
        try:
            wanted = self.links.verify(token)
        except InvalidUnsubscribeTokenError as refused:
            logger.warning("refused unsubscribe %s: %s", request.method, refused.problem)
            return self._page(
                refused.status,
                "Link not valid",
                "This unsubscribe link is not valid or has expired. Use the link in a recent "
                "email, or contact us.",
            )
        recipient, topic = html.escape(wanted.recipient), html.escape(wanted.topic)
        if request.method == "GET":
            return self._page(
                200,
                f"Unsubscribe from {self.brand}",
                f"Stop sending <strong>{topic}</strong> emails to <strong>{recipient}</strong>?",
                form=_FORM.format(token=html.escape(token)),
            )
        one_click = b"List-Unsubscribe=One-Click" in request.body
        self.store.add(
            Suppression(
                wanted.recipient,
                SuppressionReason.UNSUBSCRIBE,
                topic=wanted.topic,
                cause="one-click unsubscribe" if one_click else "unsubscribe page",
            )
        )
        logger.info("unsubscribed %s from %s", wanted.recipient, wanted.topic)
        return self._page(
            200, "Unsubscribed", f"<strong>{recipient}</strong> will get no more {topic} emails."
        )

    def _page(self, status: int, title: str, text: str, *, form: str = "") -> HTTPResponse:
        body = _PAGE.format(title=html.escape(title), text=text, form=form)
        return http_response(status, body, content_type=_HTML)
