"""A batch of records, run concurrently: FIFO groups in order, within Lambda's time.

How a batch runs:

- Records are read first (cheap, no I/O: ``RecordRoute.read``). On a FIFO queue the records of
  one message group form a *lane* run in order; on a standard queue every record is its own lane.
- Lanes run concurrently, at most ``concurrency`` records at a time: sync handlers on a thread
  pool kept across warm invocations (the calling thread takes lanes too), async handlers on one
  event loop kept across warm invocations, sync handlers of a mixed batch on the pool.
- A batch whose handlers were all quick lately (under ``INLINE_BATCH_BUDGET_SECONDS`` together)
  runs in the calling thread: handing a record to a thread costs more than such a job. Order,
  limits and outcomes are the same either way.
- Before a record starts, the time Lambda has left is checked; under the safety margin the record
  is reported failed unstarted (``Outcome.SKIPPED``). After a record of a FIFO group is reported
  failed, the group's later records are skipped too, so the group's order holds.
"""

from __future__ import annotations

import enum
import threading
from collections import deque
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from math import inf
from time import perf_counter
from typing import TYPE_CHECKING, Any, TypeVar, cast

from glasswork.worker.events import SQSRecord, is_fifo_queue_arn
from glasswork.worker.logs import hold_outcome_flushes, release_outcome_flushes
from glasswork.worker.outcome import RecordResult
from glasswork.worker.parsing import Delivery
from glasswork.worker.quick import (
    INLINE_BATCH_BUDGET_SECONDS,
    quick_jobs,
    run_quick,
    run_quick_async,
)
from glasswork.worker.route import SKIPPED_FOR_GROUP, SKIPPED_FOR_TIME, RecordRoute

if TYPE_CHECKING:
    import asyncio

__all__ = [
    "DEFAULT_CONCURRENCY",
    "DEFAULT_TIME_SAFETY_MARGIN_SECONDS",
    "INLINE_BATCH_BUDGET_SECONDS",
    "BatchRunner",
]

DEFAULT_CONCURRENCY = 10
"""Records run at once, when the worker is not told otherwise (SQS's largest batch)."""

DEFAULT_TIME_SAFETY_MARGIN_SECONDS = 2.0
"""A record is not started with less than this left of the Lambda invocation, in seconds."""

Lane = list[int]

T = TypeVar("T")


class BatchRunner:
    """Runs the records of one batch concurrently and returns their results in record order.

    Parameters:
        route: reads, runs and settles single records.
        concurrency: records run at once (default 10).
        time_safety_margin_seconds: time that must be left, in seconds, to start a record.
        pool: the thread pool for sync handlers and blocking queue calls (at least
            ``concurrency`` threads).
    """

    def __init__(
        self,
        route: RecordRoute,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        time_safety_margin_seconds: float = DEFAULT_TIME_SAFETY_MARGIN_SECONDS,
        pool: Callable[[], ThreadPoolExecutor],
    ) -> None:
        if concurrency < 1:
            raise ValueError(f"concurrency must be >= 1, got {concurrency}")
        self.route = route
        self.concurrency = concurrency
        self.margin_millis = time_safety_margin_seconds * 1000
        self._pool = pool
        # Warm cache: one event loop for every async batch of this container.
        self._loop: asyncio.AbstractEventLoop | None = None

    def run(
        self, records: Sequence[SQSRecord], remaining_millis: float | None
    ) -> list[RecordResult]:
        """Run the ``records``, with ``remaining_millis`` of Lambda's time left (``None``: no
        limit); results come back in the same order."""
        if not records:
            return []
        # A record starts only before this perf_counter() time.
        deadline = (
            inf
            if remaining_millis is None
            else perf_counter() + (remaining_millis - self.margin_millis) / 1000
        )
        fifo = is_fifo_queue_arn(records[0]["eventSourceARN"])
        route = self.route
        if not fifo and route.plain:
            quick = quick_jobs(records, route.registry)
            if quick is not None:
                jobs, any_async = quick
                hold_outcome_flushes()
                try:
                    if any_async:
                        return self.run_coroutine(run_quick_async(route, records, jobs, deadline))
                    return run_quick(route, records, jobs, deadline)
                finally:
                    release_outcome_flushes()
        deliveries = [route.read(record) for record in records]
        mode = _mode(deliveries)
        if mode is _Mode.INLINE and not fifo:
            return self._run_in_order(deliveries, deadline)
        if mode is _Mode.LOOP_INLINE and not fifo:
            return self.run_coroutine(self._run_in_order_async(deliveries, deadline))
        lanes = _lanes(deliveries) if fifo else [[index] for index in range(len(deliveries))]
        results: list[RecordResult | None] = [None] * len(deliveries)
        if mode is _Mode.LOOP or mode is _Mode.LOOP_INLINE:
            limit = 1 if mode is _Mode.LOOP_INLINE else self.concurrency
            self.run_coroutine(self._run_lanes_async(deliveries, lanes, results, deadline, limit))
        elif mode is _Mode.INLINE or len(lanes) == 1 or self.concurrency == 1:
            self._run_lanes(deque(lanes), deliveries, results, deadline)
        else:
            self._run_on_threads(deliveries, lanes, results, deadline)
        return cast("list[RecordResult]", results)

    # In order, in the calling thread or one coroutine (quick jobs, standard queue) -----------

    def _run_in_order(self, deliveries: Sequence[Delivery], deadline: float) -> list[RecordResult]:
        run = self.route.run
        skip = self.route.skip
        hold_outcome_flushes()
        try:
            return [
                run(item) if perf_counter() <= deadline else skip(item, SKIPPED_FOR_TIME)
                for item in deliveries
            ]
        finally:
            release_outcome_flushes()

    async def _run_in_order_async(
        self, deliveries: Sequence[Delivery], deadline: float
    ) -> list[RecordResult]:
        run = self.route.run_async
        results: list[RecordResult] = []
        hold_outcome_flushes()
        try:
            for item in deliveries:
                if perf_counter() <= deadline:
                    results.append(await run(item, None))
                else:
                    results.append(self.route.skip(item, SKIPPED_FOR_TIME))
        finally:
            release_outcome_flushes()
        return results

    # Threads -------------------------------------------------------------------------------

    def _run_on_threads(
        self,
        deliveries: Sequence[Delivery],
        lanes: list[Lane],
        results: list[RecordResult | None],
        deadline: float,
    ) -> None:
        pending = deque(lanes)
        pool = self._pool()
        helpers: list[Future[None]] = [
            pool.submit(self._run_lanes, pending, deliveries, results, deadline)
            for _ in range(min(self.concurrency, len(lanes)) - 1)
        ]
        self._run_lanes(pending, deliveries, results, deadline)
        for helper in helpers:
            helper.result()

    def _run_lanes(
        self,
        pending: deque[Lane],
        deliveries: Sequence[Delivery],
        results: list[RecordResult | None],
        deadline: float,
    ) -> None:
        # Several threads take lanes from one deque; popleft is atomic.
        run = self.route.run
        while True:
            try:
                lane = pending.popleft()
            except IndexError:
                return
            blocked = False
            for index in lane:
                item = deliveries[index]
                if blocked:
                    results[index] = self.route.skip(item, SKIPPED_FOR_GROUP)
                elif perf_counter() > deadline:
                    results[index] = self.route.skip(item, SKIPPED_FOR_TIME)
                else:
                    result = run(item)
                    results[index] = result
                    blocked = not result.outcome.acknowledges
            # Only FIFO lanes hold more than one record, so `blocked` matters only there.

    # Event loop ----------------------------------------------------------------------------

    def run_coroutine(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run ``coroutine`` to its end on the worker's event loop (kept across invocations)."""
        if _loop_running_in_this_thread():
            # Called from async code (e.g. a test): run on a loop of our own in another thread.
            return self._run_in_own_thread(coroutine)
        import asyncio  # only async jobs need it: kept off the worker's import path

        loop = self._loop
        if loop is None or loop.is_closed():
            loop = self._loop = asyncio.new_event_loop()
        return loop.run_until_complete(coroutine)

    def _run_in_own_thread(self, coroutine: Coroutine[Any, Any, T]) -> T:
        outcome: list[T] = []
        failure: list[BaseException] = []

        def run() -> None:
            import asyncio

            try:
                outcome.append(asyncio.run(coroutine))
            except BaseException as error:
                failure.append(error)

        thread = threading.Thread(target=run, name="glasswork-batch-loop")
        thread.start()
        thread.join()
        if failure:
            raise failure[0]
        return outcome[0]

    async def _run_lanes_async(
        self,
        deliveries: Sequence[Delivery],
        lanes: list[Lane],
        results: list[RecordResult | None],
        deadline: float,
        concurrency: int,
    ) -> None:
        pool = self._pool()
        if concurrency == 1:
            # Quick jobs: one after another in this coroutine, without a task per lane.
            for lane in lanes:
                await self._run_lane_async(lane, deliveries, results, deadline, None, None)
            return
        import asyncio

        limit = asyncio.Semaphore(concurrency)
        await asyncio.gather(
            *(
                self._run_lane_async(lane, deliveries, results, deadline, limit, pool)
                for lane in lanes
            )
        )

    async def _run_lane_async(
        self,
        lane: Lane,
        deliveries: Sequence[Delivery],
        results: list[RecordResult | None],
        deadline: float,
        limit: asyncio.Semaphore | None,
        pool: ThreadPoolExecutor | None,
    ) -> None:
        blocked = False
        for index in lane:
            item = deliveries[index]
            if blocked:
                results[index] = self.route.skip(item, SKIPPED_FOR_GROUP)
                continue
            if limit is not None:
                await limit.acquire()
            try:
                if perf_counter() > deadline:
                    results[index] = self.route.skip(item, SKIPPED_FOR_TIME)
                    continue
                result = await self.route.run_async(item, pool)
            finally:
                if limit is not None:
                    limit.release()
            results[index] = result
            blocked = not result.outcome.acknowledges

    # Helpers -------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the cached event loop."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.close()
        self._loop = None


def _lanes(deliveries: Sequence[Delivery]) -> list[Lane]:
    groups: dict[str | None, Lane] = {}
    lanes: list[Lane] = []
    for index, item in enumerate(deliveries):
        group = item.record["attributes"].get("MessageGroupId")
        lane = groups.get(group)
        if lane is None:
            lane = groups[group] = []
            lanes.append(lane)
        lane.append(index)
    return lanes


class _Mode(enum.Enum):
    INLINE = "inline"
    THREADS = "threads"
    LOOP_INLINE = "loop_inline"
    LOOP = "loop"


def _mode(deliveries: Sequence[Delivery]) -> _Mode:
    total = 0.0
    quick = True
    on_loop = False
    for item in deliveries:
        job = item.job
        if job is None or item.poison is not None:
            quick = False  # a poison message: dead-lettering it is a network call
            continue
        on_loop = on_loop or job.is_async
        estimate = job.duration_estimate_seconds
        if estimate is None:
            quick = False
        else:
            total += estimate
    quick = quick and total < INLINE_BATCH_BUDGET_SECONDS
    if on_loop:
        return _Mode.LOOP_INLINE if quick else _Mode.LOOP
    return _Mode.INLINE if quick else _Mode.THREADS


def _loop_running_in_this_thread() -> bool:
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
