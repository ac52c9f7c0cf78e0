"""A local AWS stand-in on loopback: moto's server mode, started and stopped by the caller.

Used by the test suite, the benchmarks and the demo. Needs ``moto[server]`` (the ``dev`` extra).
Beyond moto's own operations it answers SES v2's account-level suppression list
(``glasswork.testing.ses_suppression_list``), and it serialises DynamoDB's requests so
conditional writes are atomic.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from typing import Any, Self

from glasswork.testing.loopback import LOCAL_REGION, LoopbackEndpoint

__all__ = ["LOCAL_ACCOUNT_ID", "LOCAL_REGION", "LocalAWS"]

LOCAL_ACCOUNT_ID = "123456789012"
"""Account id moto uses for every resource."""

_FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


class LocalAWS(LoopbackEndpoint):
    """moto's server on ``127.0.0.1`` and a free port, reachable over real HTTP; ``client``
    makes boto3 clients for it, and ``with LocalAWS() as aws:`` starts and stops it.

    Parameters:
        in_process: run the server in a thread of this process (default ``True``); ``False``
            starts it as a separate process, so it does not share this process's CPU time
            (used by benchmarks).
        set_environment: put fake credentials and the region into ``os.environ`` if absent
            (default ``True``), so boto3 clients made anywhere work.
    """

    def __init__(self, *, in_process: bool = True, set_environment: bool = True) -> None:
        self.in_process = in_process
        self.set_environment = set_environment
        self._server: Any = None
        self._process: subprocess.Popen[bytes] | None = None
        self.endpoint_url = ""

    def start(self) -> Self:
        """Start the server and wait until it answers."""
        if self.set_environment:
            for key, value in {**_FAKE_CREDENTIALS, "AWS_DEFAULT_REGION": LOCAL_REGION}.items():
                os.environ.setdefault(key, value)
        if self.in_process:
            self._server = _make_server("127.0.0.1", 0)
            threading.Thread(target=self._server.serve_forever, daemon=True).start()
            host, port = self._server.server_address[:2]
        else:
            host, port = "127.0.0.1", _free_port()
            self._process = subprocess.Popen(
                [sys.executable, "-m", "glasswork.testing.local_aws", str(port)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        self.endpoint_url = f"http://{host}:{port}"
        self._wait_until_ready()
        return self

    def _wait_until_ready(self, timeout_seconds: float = 20.0) -> None:
        deadline = time.monotonic() + timeout_seconds
        while True:
            try:
                with urllib.request.urlopen(f"{self.endpoint_url}/moto-api/data.json", timeout=2):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None

    def reset(self) -> None:
        """Forget every resource (queues, schedules, identities, tables, sent mail)."""
        request = urllib.request.Request(f"{self.endpoint_url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10):
            pass

    def data(self) -> dict[str, Any]:
        """moto's view of all its state (``/moto-api/data.json``), e.g. the mail SES sent."""
        with urllib.request.urlopen(f"{self.endpoint_url}/moto-api/data.json", timeout=10) as r:
            result: dict[str, Any] = json.loads(r.read())
            return result


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _make_server(host: str, port: int) -> Any:
    """moto's WSGI app on werkzeug's threaded server, answering without Nagle delays.

    moto's own server leaves Nagle's algorithm on; a response written in two pieces then
    waits for the client's delayed ACK (up to 200 ms per request), which would make every
    larger request look slow.
    """
    # werkzeug logs every request to stderr; the suite and the demo want quiet.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from glasswork.testing import ses_suppression_list

    ses_suppression_list.install()
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    class NoDelayRequestHandler(MotoRequestHandler):
        def setup(self) -> None:
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    app = _one_dynamodb_request_at_a_time(DomainDispatcherApplication(create_backend_app))
    return make_server(host, port, app, threaded=True, request_handler=NoDelayRequestHandler)


def _one_dynamodb_request_at_a_time(app: Any) -> Any:
    """``app`` with DynamoDB requests serialised.

    DynamoDB applies a conditional write atomically; moto checks the condition and then writes,
    so two concurrent conditional puts on werkzeug's threads could both succeed. Serialising
    DynamoDB's requests gives the emulator the atomicity the real service has, which the
    idempotency and suppression stores rely on.
    """
    lock = threading.Lock()

    def serialised(environ: dict[str, Any], start_response: Any) -> Any:
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            return app(environ, start_response)
        with lock:
            # The body is produced inside the lock: moto computes it when called.
            return list(app(environ, start_response))

    return serialised


if __name__ == "__main__":
    _make_server("127.0.0.1", int(sys.argv[1])).serve_forever()
