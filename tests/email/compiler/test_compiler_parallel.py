"""Specification of ``glasswork_email.compiler.parallel``: items of work shared out among forked
processes as they go."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from glasswork_email.compiler.parallel import (
    ForkedCall,
    WorkerProcessError,
    can_fork,
    run_shared,
)

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs os.fork")

WAIT_SECONDS = 30.0
"""How long the slow item waits for the others before giving up (never, when they are shared)."""


def _square_and_name_the_process(number: int) -> tuple[int, int]:
    return os.getpid(), number * number


def test_results_come_back_in_item_order_from_every_process() -> None:
    results = run_shared(_square_and_name_the_process, list(range(40)), 3)

    assert [square for _, square in results] == [number * number for number in range(40)]
    assert len({pid for pid, _ in results}) <= 3


def test_an_item_slower_than_the_rest_leaves_them_to_the_other_processes(tmp_path: Path) -> None:
    done = tmp_path / "done"
    done.mkdir()
    quick_items = 20

    def work(item: int) -> tuple[int, bool]:
        if item > 0:  # quick: record that it was done
            (done / str(item)).touch()
            return os.getpid(), True
        # the slow item: waits until every quick one is done, which only happens when the
        # other process takes them all (a fixed share would leave some of them to this one)
        deadline = time.monotonic() + WAIT_SECONDS
        while len(list(done.iterdir())) < quick_items and time.monotonic() < deadline:
            time.sleep(0.01)
        return os.getpid(), len(list(done.iterdir())) == quick_items

    results = run_shared(work, list(range(quick_items + 1)), 2)

    slow_pid, saw_all_done = results[0]
    assert saw_all_done
    assert {pid for pid, _ in results[1:]} == {pid for pid, _ in results} - {slow_pid}


def _wait_for(path: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_an_exception_in_a_child_is_raised_with_its_traceback(tmp_path: Path) -> None:
    caller = os.getpid()
    failed = tmp_path / "failed"

    def fail_in_the_child(number: int) -> int:
        if os.getpid() != caller:
            failed.touch()
            raise ValueError("three is not allowed")
        _wait_for(failed)  # leave the child time to take an item
        return number

    with pytest.raises(WorkerProcessError, match="ValueError: three is not allowed"):
        run_shared(fail_in_the_child, [1, 2, 3, 4], 2)


def test_an_exception_in_the_caller_stops_the_work_and_is_raised_once_the_children_end(
    tmp_path: Path,
) -> None:
    caller = os.getpid()
    raised = tmp_path / "raised"
    taken = tmp_path / "taken"
    taken.mkdir()

    def fail_in_the_caller(number: int) -> int:
        (taken / str(number)).touch()
        if os.getpid() == caller:
            raised.touch()
            raise ValueError("the caller failed")
        _wait_for(raised)
        return number

    with pytest.raises(ValueError, match="the caller failed"):
        run_shared(fail_in_the_caller, list(range(50)), 2)
    assert len(list(taken.iterdir())) < 50  # the child took no more once the caller failed


def test_one_process_forks_nothing() -> None:
    assert run_shared(_square_and_name_the_process, [7, 8], 1) == [
        (os.getpid(), 49),
        (os.getpid(), 64),
    ]
    assert run_shared(_square_and_name_the_process, [7], 4) == [(os.getpid(), 49)]


def test_a_forked_call_runs_in_a_child_while_the_caller_goes_on(tmp_path: Path) -> None:
    went_on = tmp_path / "went-on"

    def wait_for_the_caller() -> tuple[int, bool]:
        _wait_for(went_on)
        return os.getpid(), went_on.exists()

    started = ForkedCall(wait_for_the_caller)
    went_on.touch()  # the child sees it only if the caller went on after starting it

    pid, saw_the_caller_go_on = started.result()
    assert pid != os.getpid()
    assert saw_the_caller_go_on


def test_an_exception_in_a_forked_call_is_raised_by_its_result() -> None:
    def fail() -> None:
        raise ValueError("the child failed")

    with pytest.raises(WorkerProcessError, match="ValueError: the child failed"):
        ForkedCall(fail).result()
