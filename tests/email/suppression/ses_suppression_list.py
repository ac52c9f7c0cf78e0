"""A loopback stand-in for SES v2's account-level suppression list, which moto lacks.

It answers ``PutSuppressedDestination``, ``GetSuppressedDestination`` and
``DeleteSuppressedDestination`` over real HTTP with SES's REST-JSON shapes, so a real boto3
``sesv2`` client talks to it (imported by the tests).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

PREFIX = "/v2/email/suppression/addresses"


class SuppressionList:
    def __init__(self) -> None:
        self.entries: dict[str, dict[str, Any]] = {}
        self.calls: list[str] = []


def _handler(state: SuppressionList) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: dict[str, Any], error: str | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            if error:
                self.send_header("x-amzn-ErrorType", error)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_PUT(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            state.calls.append("PutSuppressedDestination")
            state.entries[body["EmailAddress"]] = {
                "EmailAddress": body["EmailAddress"],
                "Reason": body["Reason"],
                "LastUpdateTime": 1_767_225_600,
            }
            self._answer(200, {})

        def _address(self) -> str:
            return unquote(self.path.removeprefix(PREFIX + "/"))

        def do_GET(self) -> None:
            state.calls.append("GetSuppressedDestination")
            entry = state.entries.get(self._address())
            if entry is None:
                self._answer(404, {"message": "not on the list"}, "NotFoundException")
            else:
                self._answer(200, {"SuppressedDestination": entry})

        def do_DELETE(self) -> None:
            state.calls.append("DeleteSuppressedDestination")
            if state.entries.pop(self._address(), None) is None:
                self._answer(404, {"message": "not on the list"}, "NotFoundException")
            else:
                self._answer(200, {})

    return Handler


@contextmanager
def ses_suppression_list() -> Iterator[tuple[SuppressionList, str]]:
    """The stand-in's state and its endpoint URL, for the duration of the block."""
    state = SuppressionList()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
