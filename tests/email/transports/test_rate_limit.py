"""Specification of ``SendRateLimiter`` (with a fake clock)."""

from __future__ import annotations

import threading

import pytest

from glasswork_email.transports.rate_limit import SendRateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_sends_are_spaced_by_one_over_the_rate() -> None:
    clock = FakeClock()
    limiter = SendRateLimiter(10, clock=clock, sleep=clock.sleep)
    waits = [limiter.acquire() for _ in range(4)]
    assert waits == pytest.approx([0.0, 0.1, 0.1, 0.1])
    assert clock.now == pytest.approx(1000.3)


def test_a_burst_goes_at_once_then_the_rate_holds() -> None:
    clock = FakeClock()
    limiter = SendRateLimiter(2, burst=3, clock=clock, sleep=clock.sleep)
    waits = [limiter.acquire() for _ in range(5)]
    assert waits == pytest.approx([0.0, 0.0, 0.0, 0.5, 0.5])


def test_a_quiet_spell_refills_the_bucket_but_not_beyond_the_burst() -> None:
    clock = FakeClock()
    limiter = SendRateLimiter(1, burst=2, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    clock.now += 60
    waits = [limiter.acquire() for _ in range(3)]
    assert waits == pytest.approx([0.0, 0.0, 1.0])


def test_concurrent_callers_never_exceed_the_rate() -> None:
    lock = threading.Lock()
    clock = FakeClock()

    def sleep(seconds: float) -> None:
        with lock:
            clock.slept.append(seconds)

    limiter = SendRateLimiter(5, clock=clock, sleep=sleep)
    threads = [threading.Thread(target=limiter.acquire) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # With the clock frozen, the ten slots are 0.2 s apart: waits 0, 0.2, ..., 1.8.
    assert sorted([0.0, *clock.slept]) == pytest.approx([0.2 * n for n in range(10)])


@pytest.mark.parametrize("rate", [0, -1])
def test_a_rate_must_be_positive(rate: float) -> None:
    with pytest.raises(ValueError, match="messages_per_second"):
        SendRateLimiter(rate)
