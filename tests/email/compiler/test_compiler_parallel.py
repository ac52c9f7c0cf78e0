"""Specification of ``glasswork_email.compiler.parallel``: chunks of work in forked processes."""

from __future__ import annotations

import os

import pytest

from glasswork_email.compiler.parallel import WorkerProcessError, can_fork, run_forked

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs os.fork")


def _square_all_and_name_the_process(chunk: list[int]) -> tuple[int, list[int]]:
    return os.getpid(), [number * number for number in chunk]


def _fail_on_three(chunk: list[int]) -> list[int]:
    if 3 in chunk:
        raise ValueError("three is not allowed")
    return chunk


def test_results_come_back_in_chunk_order_and_the_first_chunk_runs_in_the_caller() -> None:
    results = run_forked(_square_all_and_name_the_process, [[1, 2], [3], [4, 5]])

    assert [squares for _, squares in results] == [[1, 4], [9], [16, 25]]
    pids = [pid for pid, _ in results]
    assert pids[0] == os.getpid()
    assert len(set(pids)) == 3


def test_an_exception_in_a_child_is_raised_with_its_traceback() -> None:
    with pytest.raises(WorkerProcessError, match="ValueError: three is not allowed"):
        run_forked(_fail_on_three, [[1], [2, 3]])


def test_a_single_chunk_forks_nothing() -> None:
    assert run_forked(_square_all_and_name_the_process, [[7]]) == [(os.getpid(), [49])]
