"""Run a function over items of work in forked processes that share them out as they go.

Compiling is CPU-bound Python, so threads do not help; forked processes inherit the modules
and objects the caller has already made (Jinja, MJML, the compiler's environments), so they
start in about a millisecond. A bare ``os.fork`` with a pipe per child replaces
``multiprocessing.Pool``, whose import and pool start-up (about 30 ms) cost more than a 2-core
machine gains from it on a small project. The caller works too, and every process takes the
next item as soon as it is done with its last one, so an item slower than the others (or a
core another program is using) does not leave the other processes idle at the end.
"""

from __future__ import annotations

import logging
import mmap
import os
import pickle
import traceback
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar, cast

__all__ = ["ForkedCall", "WorkerProcessError", "can_fork", "run_shared"]

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

_COUNTER_BYTES = 8


class WorkerProcessError(RuntimeError):
    """A forked worker failed or died; the message carries its traceback or exit status."""


def can_fork() -> bool:
    """Whether this platform has ``os.fork`` (not Windows)."""
    return hasattr(os, "fork")


class ForkedCall(Generic[R]):
    """``function()`` running in a forked child from the moment this is made, while the caller
    goes on; ``result()`` waits for it. Call ``result()`` once, whatever happens, so the child
    is waited for.

    Parameters:
        function: what the child runs (its result must be picklable).
    """

    def __init__(self, function: Callable[[], R]) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            os.close(read_end)
            _run_child(function, write_end, lambda: None)
        os.close(write_end)
        self._pid, self._read_end = pid, read_end

    def result(self) -> R:
        """What ``function`` returned; ``WorkerProcessError`` with the child's traceback when
        it raised."""
        succeeded, value = _collect(self._pid, self._read_end)
        if not succeeded:
            raise WorkerProcessError(str(value))
        return cast(R, value)


class _NextItem:
    """The index of the next item to take, shared by the caller and its forked children.

    The count lives in an anonymous shared memory page (``mmap`` of no file is shared with
    forked children); a one-byte token passed through a pipe lets one process at a time read
    and advance it.

    Parameters:
        count: how many items there are.
    """

    def __init__(self, count: int) -> None:
        self.count = count
        self._memory = mmap.mmap(-1, _COUNTER_BYTES)
        self._token_read, self._token_write = os.pipe()
        os.write(self._token_write, b"\0")

    def take(self) -> int | None:
        """The next item's index, or ``None`` when every item has been taken."""
        os.read(self._token_read, 1)  # blocks while another process holds the token
        try:
            index = int.from_bytes(self._memory[:_COUNTER_BYTES], "little")
            if index >= self.count:
                return None
            self._memory[:_COUNTER_BYTES] = (index + 1).to_bytes(_COUNTER_BYTES, "little")
            return index
        finally:
            os.write(self._token_write, b"\0")

    def stop(self) -> None:
        """Let no process take another item."""
        os.read(self._token_read, 1)
        try:
            self._memory[:_COUNTER_BYTES] = self.count.to_bytes(_COUNTER_BYTES, "little")
        finally:
            os.write(self._token_write, b"\0")

    def close(self) -> None:
        """Release the pipe and the memory (once every process is done with them)."""
        os.close(self._token_read)
        os.close(self._token_write)
        self._memory.close()


def run_shared(function: Callable[[T], R], items: Sequence[T], processes: int) -> list[R]:
    """``[function(item) for item in items]``, over the calling process and ``processes - 1``
    forked children, each taking the next item whenever it finishes one.

    The results must be picklable (the items need not be: children inherit them). An
    exception raised in a child is raised here as ``WorkerProcessError`` with the child's
    traceback, after every child has ended; one raised in the caller stops the children
    taking new items and is raised once they have ended.

    Parameters:
        function: what to run on each item.
        items: the work, taken in order.
        processes: how many processes share it, the caller included (at most one per item;
            1 or fewer: everything runs in the caller, nothing is forked).
    """
    if processes <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    next_item = _NextItem(len(items))
    children: list[tuple[int, int]] = []
    try:
        try:
            for _ in range(min(processes, len(items)) - 1):
                read_end, write_end = os.pipe()
                pid = os.fork()
                if pid == 0:  # the child: never returns into the caller's code
                    os.close(read_end)
                    _run_child(
                        lambda: _take_items(function, items, next_item), write_end, next_item.stop
                    )
                os.close(write_end)
                children.append((pid, read_end))
            done = _take_items(function, items, next_item)
        except BaseException:
            next_item.stop()
            raise
        finally:
            outcomes = [_collect(pid, read_end) for pid, read_end in children]
    finally:
        next_item.close()
    results = dict(done)
    for succeeded, value in outcomes:
        if not succeeded:
            raise WorkerProcessError(str(value))
        results.update(cast(list[tuple[int, R]], value))
    return [results[index] for index in range(len(items))]


def _take_items(
    function: Callable[[T], R], items: Sequence[T], next_item: _NextItem
) -> list[tuple[int, R]]:
    """Run ``function`` on the items this process takes, until none is left."""
    done: list[tuple[int, R]] = []
    while (index := next_item.take()) is not None:
        done.append((index, function(items[index])))
    return done


def _run_child(work: Callable[[], object], write_end: int, on_failure: Callable[[], None]) -> None:
    """Run ``work`` in a forked child, send its result (or traceback) to ``write_end``, exit."""
    status = 0
    try:
        try:
            data = pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            on_failure()
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
