"""What the preview shows: the latest build of the templates, rebuilt whenever a file changes.

``PreviewState`` keeps the last build that compiled (so a page still shows the email while a
template is broken), the compile errors of the latest attempt, and a version number that goes
up on every rebuild; pages wait for a version newer than theirs to reload themselves.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import anyio.to_thread
from watchfiles import awatch

from glasswork_email.compiler.errors import CompileError
from glasswork_email.fixture_rendering import ScratchBuild, ScratchCompiler

__all__ = ["PreviewState", "SourceLine", "located_errors"]

logger = logging.getLogger(__name__)

WATCH_STEP_MILLISECONDS = 50
"""How long the watcher waits for more changes before rebuilding, in milliseconds."""


@dataclass(frozen=True)
class SourceLine:
    """A compile error with the line it points at, for the error overlay.

    Parameters:
        location: ``file:line:col``.
        message: what is wrong.
        line: the text of that line of the file (empty when it cannot be read).
        column: the 1-based column, to place a caret under the line.
    """

    location: str
    message: str
    line: str
    column: int


def located_errors(errors: list[CompileError]) -> list[SourceLine]:
    """Each compile error with the source line it points at."""
    located: list[SourceLine] = []
    for error in errors:
        try:
            lines = Path(error.location.file).read_text(encoding="utf-8").splitlines()
            line = lines[error.location.line - 1] if 0 < error.location.line <= len(lines) else ""
        except OSError:
            line = ""
        located.append(
            SourceLine(str(error.location), error.message, line, max(1, error.location.column))
        )
    return located


@dataclass
class PreviewState:
    """The preview's builds and their version.

    Parameters:
        source: the templates folder.
    """

    source: Path
    version: int = 0
    good: ScratchBuild | None = None
    errors: list[CompileError] = field(default_factory=list)
    last_build_seconds: float = 0.0

    def __post_init__(self) -> None:
        self.compiler = ScratchCompiler(self.source)
        self._changed = asyncio.Event()
        self.closing = False
        self.loop: asyncio.AbstractEventLoop | None = None

    def rebuild(self) -> None:
        """Compile what changed (blocking) and publish the result as a new version."""
        started = time.perf_counter()
        try:
            build = self.compiler.build()
        except Exception as error:  # an unexpected failure must not stop the watcher
            logger.exception("preview build of %s failed", self.source)
            build = ScratchBuild(self.source)
            from glasswork_email.compiler.errors import SourceLocation

            build.errors = [CompileError(SourceLocation(self.source, 1), f"{error}")]
        self.last_build_seconds = time.perf_counter() - started
        self.errors = build.errors
        if not build.errors:
            self.good = build
        self.version += 1
        logger.info(
            "preview build %d of %s (%.2f s)", self.version, self.source, self.last_build_seconds
        )

    def _publish(self) -> None:
        waiting, self._changed = self._changed, asyncio.Event()
        waiting.set()

    async def rebuild_and_notify(self) -> None:
        """Rebuild in a worker thread, then wake every page waiting for a new version."""
        self.loop = asyncio.get_running_loop()
        await anyio.to_thread.run_sync(self.rebuild)
        self._publish()

    async def wait_for_version(self, after: int, timeout_seconds: float) -> int:
        """The current version, once it is newer than ``after`` or ``timeout_seconds`` passed
        (at once when the server is stopping)."""
        if self.version == after and not self.closing:
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), timeout_seconds)
        return self.version

    def release_waiters(self) -> None:
        """Answer every waiting page now (the server is stopping); safe from any thread."""
        self.closing = True
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._changed.set)

    async def watch(self, stop: asyncio.Event) -> None:
        """Rebuild whenever a file under the templates folder changes, until ``stop`` is set."""
        async for changes in awatch(self.source, stop_event=stop, step=WATCH_STEP_MILLISECONDS):
            logger.debug("changed: %s", sorted(path for _change, path in changes))
            await self.rebuild_and_notify()

    def close(self) -> None:
        """Delete the scratch package."""
        self.compiler.close()
