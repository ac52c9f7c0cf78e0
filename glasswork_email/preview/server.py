"""The preview web server: Starlette routes served by uvicorn on 127.0.0.1.

Starlette because the preview needs a handful of routes, a long-poll that waits without
holding a thread, static files and a lifespan to run the file watcher, and nothing else; with
uvicorn it is the smallest well-known ASGI stack, and both are pure Python.

Safe by default: it binds to loopback and answers only requests addressed to it by a
loopback host name (a page elsewhere cannot reach it through DNS rebinding); names in URLs are
looked up among the templates and fixtures it found, never joined into paths; the email's HTML
is served in an ``<iframe sandbox>`` without scripts and with a ``Content-Security-Policy``
that sandboxes it even when opened on its own; "send a test" needs a token only its own
pages carry.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import secrets
import socket
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import parse_qs

import anyio.to_thread
import jinja2
import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from glasswork_email.fixture_rendering import RenderedFixture, ScratchBuild
from glasswork_email.fixtures import FixtureError as FixtureFileError
from glasswork_email.lint.config import LintConfig, LintConfigError, load_lint_config
from glasswork_email.lint.findings import Finding
from glasswork_email.lint.html_document import parse_html
from glasswork_email.lint.inline_images import find_inline_images, inline_attachments
from glasswork_email.lint.runner import ALL_CHECKS, declared_topic, lint_email
from glasswork_email.lint.size import GMAIL_CLIP_BYTES, html_size_bytes
from glasswork_email.lint.source_map import SourceMaps
from glasswork_email.message import Attachment
from glasswork_email.preview.command import DEFAULT_HOST, DEFAULT_PORT
from glasswork_email.preview.state import PreviewState, located_errors
from glasswork_email.preview.template_files import template_file_response
from glasswork_email.preview.test_send import SES_SIMULATOR_ADDRESSES, mime_source, preview_message
from glasswork_email.transports.base import Transport

__all__ = ["EMAIL_CONTENT_SECURITY_POLICY", "VIEWS", "PreviewServer", "create_app"]

VIEWS = (
    ("desktop", "Desktop"),
    ("mobile", "Mobile"),
    ("dark", "Dark mode"),
    ("text", "Plain text"),
    ("mime", "MIME source"),
)
"""The views of one email: key (the ``view`` query parameter) and label."""
EMAIL_CONTENT_SECURITY_POLICY = (
    "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; "
    "img-src https: http: data: cid:; style-src 'unsafe-inline'; font-src https: data:"
)
"""The policy the email's HTML is served with: no scripts, no requests but images and fonts."""
PAGE_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-src 'self'"
)
"""The policy of the preview's own pages."""
MAX_FORM_BYTES = 4096
"""The largest "send a test" form accepted, in bytes."""
LONG_POLL_SECONDS = 10.0
"""How long ``/version`` waits for a new build before answering with the same version."""
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
"""Host names a loopback-bound preview answers to."""
_HERE = Path(__file__).parent


@dataclass(frozen=True)
class _Size:
    label: str
    used_percent: float
    clip_percent: float
    clipped: bool


def _size(html: str) -> _Size:
    size = html_size_bytes(html)
    scale = max(size, GMAIL_CLIP_BYTES) * 1.15
    label = f"{size / 1024:.1f} KB of Gmail's {GMAIL_CLIP_BYTES / 1024:.0f} KB clipping limit" + (
        ": Gmail clips this email" if size > GMAIL_CLIP_BYTES else ""
    )
    return _Size(
        label,
        round(100 * size / scale, 1),
        round(100 * GMAIL_CLIP_BYTES / scale, 1),
        size > GMAIL_CLIP_BYTES,
    )


class _Preview:
    """The route handlers, over one ``PreviewState``."""

    def __init__(
        self, state: PreviewState, transport: Transport | None, sender: str | None
    ) -> None:
        self.state = state
        self.transport = transport
        self.sender = sender
        self.token = secrets.token_urlsafe(24)
        self._source_maps: SourceMaps | None = None
        self.pages = jinja2.Environment(
            loader=jinja2.FileSystemLoader(_HERE / "pages"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )

    # -- helpers ----------------------------------------------------------------------------
    def _page(self, page: str, status: int = 200, **values: Any) -> HTMLResponse:
        html = self.pages.get_template(page).render(
            version=self.state.version,
            source=self.state.source,
            errors=located_errors(self.state.errors),
            **values,
        )
        return HTMLResponse(
            html, status, headers={"Content-Security-Policy": PAGE_CONTENT_SECURITY_POLICY}
        )

    def _build(self) -> ScratchBuild | None:
        return self.state.good

    def _lint_config(self) -> LintConfig:
        try:
            return load_lint_config(self.state.source, ALL_CHECKS)
        except LintConfigError:
            return LintConfig()

    def _source_maps_of(self, build: ScratchBuild) -> SourceMaps:
        """The source maps of ``build`` (made again for each new build)."""
        if self._source_maps is None or self._source_maps.build is not build:
            self._source_maps = SourceMaps(build, self.state.compiler.config)
        return self._source_maps

    def _inline_images(self, rendered: RenderedFixture) -> list[Attachment]:
        """The inline parts the email's ``cid:`` images show, from the templates folder."""
        if rendered.email is None:
            return []
        document = parse_html(rendered.email.html)
        return inline_attachments(find_inline_images(document, self.state.source))

    def _rendered(self, request: Request) -> tuple[ScratchBuild, str, RenderedFixture] | None:
        build = self._build()
        name = request.path_params["name"]
        fixture = request.path_params["fixture"]
        if build is None or name not in build.templates:
            return None
        if fixture not in self._fixtures(build, name)[0]:
            return None
        return build, name, build.render(name, fixture)

    @staticmethod
    def _fixtures(build: ScratchBuild, name: str) -> tuple[dict[str, Path], str | None]:
        """The fixtures of ``name``, and why there are none when a file is misnamed."""
        try:
            return build.fixtures(name), None
        except FixtureFileError as error:
            return {}, str(error)

    def _not_found(self, what: str) -> HTMLResponse:
        return self._page("missing.html", 404, what=what)

    # -- routes -----------------------------------------------------------------------------
    async def index(self, request: Request) -> Response:
        build = self._build()
        emails = []
        if build is not None:
            for name in sorted(build.templates):
                fixtures = [
                    {"name": fixture, "valid": not build.render(name, fixture).errors}
                    for fixture in self._fixtures(build, name)[0]
                ]
                emails.append(
                    {
                        "name": name,
                        "file": build.templates[name].relative_to(build.source),
                        "fixtures": fixtures,
                    }
                )
        return self._page("index.html", emails=emails)

    async def email(self, request: Request) -> Response:
        build = self._build()
        name = request.path_params["name"]
        if build is None or name not in build.templates:
            return self._not_found(f"no email called {name!r}")
        fixtures, fixture_problem = self._fixtures(build, name)
        fixture = request.path_params.get("fixture") or next(iter(fixtures), None)
        view = request.query_params.get("view", "desktop")
        if view not in dict(VIEWS):
            return self._not_found(f"no view called {view!r}")
        if fixture is not None and fixture not in fixtures:
            return self._not_found(f"{name} has no fixture called {fixture!r}")
        rendered = build.render(name, fixture) if fixture is not None else None
        findings: list[Finding] = []
        mime = ""
        size = None
        if rendered is not None and rendered.email is not None:
            findings = lint_email(
                rendered,
                self._lint_config(),
                sources=build.sources(name),
                topic=declared_topic(build.templates[name]),
                folder=self.state.source,
                source_maps=self._source_maps_of(build),
            )
            size = _size(rendered.email.html)
            if view == "mime":
                mime = mime_source(rendered.email, self.sender, self._inline_images(rendered))
        return self._page(
            "email.html",
            name=name,
            file=build.templates[name],
            current=fixture,
            fixtures=[{"name": f, "valid": not build.render(name, f).errors} for f in fixtures],
            rendered=rendered,
            fixture_problem=fixture_problem,
            findings=findings,
            view=view,
            views=VIEWS,
            size=size,
            mime=mime,
            sending=type(self.transport).__name__ if self.transport else None,
            token=self.token,
            simulator=SES_SIMULATOR_ADDRESSES,
        )

    async def email_html(self, request: Request) -> Response:
        found = self._rendered(request)
        if found is None or found[2].email is None:
            return PlainTextResponse("not found", 404)
        return HTMLResponse(
            found[2].email.html,
            headers={
                "Content-Security-Policy": EMAIL_CONTENT_SECURITY_POLICY,
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "no-store",
            },
        )

    async def version(self, request: Request) -> Response:
        try:
            after = int(request.query_params.get("after", "-1"))
        except ValueError:
            after = -1
        version = await self.state.wait_for_version(after, LONG_POLL_SECONDS)
        return JSONResponse(
            {"version": version, "errors": len(self.state.errors)},
            headers={"Cache-Control": "no-store"},
        )

    async def send(self, request: Request) -> Response:
        # a urlencoded form of two short fields: the standard library reads it (Starlette's
        # form parsing would need python-multipart)
        body = await request.body()
        if len(body) > MAX_FORM_BYTES:
            return PlainTextResponse("form too large", 413)
        form = {key: values[0] for key, values in parse_qs(body.decode("utf-8", "replace")).items()}
        token = form.get("token", "")
        if not hmac.compare_digest(token.encode(), self.token.encode()):
            return PlainTextResponse("a test is sent only from the preview's own page", 403)
        found = self._rendered(request)
        if found is None or found[2].email is None:
            return self._not_found("no such email or fixture, or the fixture is invalid")
        _build, name, rendered = found
        email = rendered.email
        recipient = form.get("recipient", "").strip()
        values: dict[str, Any] = {
            "name": name,
            "fixture": rendered.fixture,
            "recipient": recipient,
            "sending": type(self.transport).__name__,
            "message_id": None,
            "error": None,
        }
        if self.transport is None or self.sender is None or email is None:
            values["error"] = "sending is off: start the preview with --transport and --sender"
            return self._page("sent.html", 400, **values)
        try:
            message = preview_message(
                email,
                to=recipient,
                sender=self.sender,
                inline_images=self._inline_images(rendered),
            )
            values["message_id"] = await anyio.to_thread.run_sync(self.transport.send, message)
        except Exception as error:  # shown to the person who pressed the button
            values["error"] = f"{type(error).__name__}: {error}"
            return self._page("sent.html", 502, **values)
        return self._page("sent.html", **values)

    async def template_file(self, request: Request) -> Response:
        return template_file_response(self.state.source, request.path_params["path"])


def create_app(
    source: Path,
    *,
    transport: Transport | None = None,
    sender: str | None = None,
    allowed_hosts: tuple[str, ...] = LOOPBACK_NAMES,
    watch: bool = True,
) -> Starlette:
    """The preview's ASGI application for the templates folder ``source``.

    Parameters:
        source: the templates folder.
        transport: what "send a test" sends through (default: sending is off).
        sender: the From address of test emails (needed to send).
        allowed_hosts: the ``Host`` names it answers (default: loopback names only).
        watch: rebuild when a file changes (default ``True``).
    """
    state = PreviewState(source)
    preview = _Preview(state, transport, sender)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await state.rebuild_and_notify()
        stop = asyncio.Event()
        watcher = asyncio.create_task(state.watch(stop)) if watch else None
        try:
            yield
        finally:
            stop.set()
            if watcher is not None:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watcher
            state.close()

    app = Starlette(
        routes=[
            Route("/", preview.index),
            Route("/emails/{name}", preview.email),
            Route("/emails/{name}/{fixture}", preview.email),
            Route("/render/{name}/{fixture}/html", preview.email_html),
            Route("/send/{name}/{fixture}", preview.send, methods=["POST"]),
            Route("/version", preview.version),
            Route("/files/{path:path}", preview.template_file),
            Mount("/static", StaticFiles(directory=_HERE / "static"), name="static"),
        ],
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))],
        lifespan=lifespan,
    )
    app.state.preview = state
    return app


class _Server(uvicorn.Server):
    """uvicorn's server, answering the pages' long polls at once when asked to stop (Ctrl-C):
    otherwise shutting down waits for them and then cancels them noisily."""

    def __init__(self, config: uvicorn.Config, state: PreviewState) -> None:
        super().__init__(config)
        self.preview_state = state

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.preview_state.release_waiters()
        super().handle_exit(sig, frame)


class PreviewServer:
    """Serves the preview of a templates folder with uvicorn.

    ``run()`` serves until interrupted; ``start()`` serves from a background thread (tests, and
    scripts that drive a browser) until ``stop()``.

    Parameters:
        source: the templates folder.
        host: the address to bind (default ``127.0.0.1``).
        port: the TCP port (default ``DEFAULT_PORT``; 0 picks a free one).
        transport: what "send a test" sends through (default: sending is off).
        sender: the From address of test emails.
        watch: rebuild when a file changes (default ``True``; ``False``: only the first build,
            and what ``state.rebuild()`` makes).
    """

    def __init__(
        self,
        source: Path,
        *,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        transport: Transport | None = None,
        sender: str | None = None,
        watch: bool = True,
    ) -> None:
        loopback = host in LOOPBACK_NAMES
        self.app = create_app(
            source,
            transport=transport,
            sender=sender,
            allowed_hosts=LOOPBACK_NAMES if loopback else ("*",),
            watch=watch,
        )
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind((host.strip("[]"), port))
        self.host = host
        self.port: int = self.socket.getsockname()[1]
        self._server = _Server(
            uvicorn.Config(
                self.app, log_level="warning", timeout_graceful_shutdown=1, lifespan="on"
            ),
            self.state,
        )
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The preview's address (``http://127.0.0.1:4100``)."""
        host = f"[{self.host.strip('[]')}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def state(self) -> PreviewState:
        """The builds being shown."""
        state: PreviewState = self.app.state.preview
        return state

    def run(self) -> None:
        """Serve until interrupted (Ctrl-C)."""
        self._server.run(sockets=[self.socket])

    def start(self, timeout_seconds: float = 30.0) -> PreviewServer:
        """Serve from a background thread; returns once it answers requests."""
        self._thread = threading.Thread(target=self.run, name="glasswork-preview", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout_seconds
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"the preview server did not start on {self.url}")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the background thread."""
        self.state.release_waiters()
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.socket.close()

    def __enter__(self) -> PreviewServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
