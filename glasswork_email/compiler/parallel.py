"""Run a function over chunks of work in forked processes, the calling process taking one chunk.

Compiling is CPU-bound Python, so threads do not help; forked processes inherit the modules
the caller has already imported (Jinja, MJML, the compiler), so they start in about a
millisecond. A bare ``os.fork`` with a pipe per child replaces ``multiprocessing.Pool``, whose
import and pool start-up (about 30 ms) cost more than a 2-core machine gains from it on a
small project; and the caller works on the first chunk instead of waiting idle.
"""

from __future__ import annotations

import logging
import os
import pickle
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar, cast

__all__ = ["WorkerProcessError", "can_fork", "run_forked"]

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class WorkerProcessError(RuntimeError):
    """A forked worker failed or died; the message carries its traceback or exit status."""


def can_fork() -> bool:
    """Whether this platform has ``os.fork`` (not Windows)."""
    return hasattr(os, "fork")


def run_forked(function: Callable[[T], R], chunks: Sequence[T]) -> list[R]:
    """``[function(chunk) for chunk in chunks]``, every chunk but the first in a forked child.

    The results (and the chunks) must be picklable. An exception raised in a child is raised
    here as ``WorkerProcessError`` with the child's traceback, after every child has ended.

    Parameters:
        function: what to run on each chunk.
        chunks: the work; ``chunks[0]`` runs in the calling process.
    """
    children: list[tuple[int, int]] = []
    try:
        for chunk in chunks[1:]:
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: never returns into the caller's code
                os.close(read_end)
                _run_child(function, chunk, write_end)
            os.close(write_end)
            children.append((pid, read_end))
        results = [function(chunks[0])] if chunks else []
    finally:
        outcomes = [_collect(pid, read_end) for pid, read_end in children]
    for succeeded, value in outcomes:
        if not succeeded:
            raise WorkerProcessError(str(value))
        results.append(cast(R, value))
    return results


def _run_child(function: Callable[[T], R], chunk: T, write_end: int) -> None:
    status = 0
    try:
        try:
            data = pickle.dumps((True, function(chunk)), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            data = pickle.dumps((False, traceback.format_exc()))
            status = 1
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
    finally:
        # skip the caller's atexit handlers, finally blocks and buffered output
        os._exit(status)


def _collect(pid: int, read_end: int) -> tuple[bool, object]:
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, wait_status = os.waitpid(pid, 0)
    if not data:
        code = os.waitstatus_to_exitcode(wait_status)
        return False, f"compiler worker process {pid} ended without a result (exit status {code})"
    succeeded, value = pickle.loads(data)
    return bool(succeeded), value
