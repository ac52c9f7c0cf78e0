"""``FaultProxy``: an HTTP proxy on loopback that injects faults in front of the local AWS server.

Point a client's ``endpoint_url`` at the proxy instead of the emulator. For every request the
proxy asks its ``choose`` function which ``Fault`` to inject:

- ``Fault.NONE``: forward the request and return the emulator's answer.
- ``Fault.LOSE_ANSWER``: forward the request, let the emulator act on it, then close the
  connection without an answer (the client sees "connection closed": the outcome is unknown).
- ``Fault.THROTTLE``: answer HTTP 429 ``TooManyRequestsException`` without forwarding.
- ``Fault.SERVER_ERROR``: answer HTTP 500 ``InternalFailure`` without forwarding.

Every injected fault is counted in ``FaultProxy.injected``, so a test can relate what the
emulator holds to what was done to it.
"""

from __future__ import annotations

import enum
import http.client
import json
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import urlsplit

from glasswork.testing.loopback import LoopbackEndpoint

__all__ = ["Fault", "FaultProxy", "ProxiedRequest"]


class Fault(enum.Enum):
    """What the proxy does to one request."""

    NONE = "none"
    LOSE_ANSWER = "lose_answer"
    THROTTLE = "throttle"
    SERVER_ERROR = "server_error"


@dataclass(frozen=True)
class ProxiedRequest:
    """A request as ``FaultProxy``'s ``choose`` function sees it.

    Parameters:
        method: the HTTP method.
        path: the path and query, e.g. ``/v2/email/outbound-emails`` for SES v2 ``SendEmail``.
        body: the request body.
    """

    method: str
    path: str
    body: bytes


_ERRORS = {
    Fault.THROTTLE: (429, "TooManyRequestsException", "Maximum sending rate exceeded."),
    Fault.SERVER_ERROR: (500, "InternalFailure", "injected server error"),
}


class FaultProxy(LoopbackEndpoint):
    """A fault-injecting HTTP proxy on ``127.0.0.1`` in front of ``upstream_url``; ``client``
    makes boto3 clients that go through it, and ``with FaultProxy(...) as proxy:`` starts and
    stops it.

    Parameters:
        upstream_url: the emulator's endpoint (``LocalAWS.endpoint_url``).
        choose: ``choose(request) -> Fault`` for each request (default: no faults); called
            from the proxy's threads, so it must be thread-safe.
    """

    def __init__(
        self, upstream_url: str, choose: Callable[[ProxiedRequest], Fault] | None = None
    ) -> None:
        self.upstream_url = upstream_url
        self.choose = choose or (lambda request: Fault.NONE)
        self.injected: Counter[Fault] = Counter()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.endpoint_url = ""

    def start(self) -> Self:
        """Start serving on a free port; ``endpoint_url`` is then the proxy's address."""
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        host, port = self._server.server_address[:2]
        self.endpoint_url = f"http://{host!s}:{port}"
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _record(self, fault: Fault) -> None:
        if fault is not Fault.NONE:
            with self._lock:
                self.injected[fault] += 1


def _handler_class(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    upstream = urlsplit(proxy.upstream_url)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _handle(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
            fault = proxy.choose(ProxiedRequest(self.command, self.path, body))
            proxy._record(fault)
            if fault in _ERRORS:
                self._answer_error(*_ERRORS[fault])
                return
            status, headers, answer = self._forward(body)
            if fault is Fault.LOSE_ANSWER:
                # The emulator acted on the request; the client never learns how it went.
                self.close_connection = True
                return
            self.send_response(status)
            for name, value in headers:
                if name.lower() not in {"content-length", "transfer-encoding", "connection"}:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def _forward(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
            connection = http.client.HTTPConnection(upstream.hostname or "", upstream.port)
            try:
                headers = {
                    name: value for name, value in self.headers.items() if name.lower() != "host"
                }
                headers["Host"] = upstream.netloc
                connection.request(self.command, self.path, body=body, headers=headers)
                response = connection.getresponse()
                return response.status, response.getheaders(), response.read()
            finally:
                connection.close()

        def _answer_error(self, status: int, code: str, message: str) -> None:
            payload = json.dumps({"message": message}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("x-amzn-ErrorType", code)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _handle

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
