"""Benchmark: enqueue 1,000 jobs with ``enqueue_batch`` vs a loop of ``enqueue``, on local SQS.

Run: ``.venv/bin/python benchmarks/enqueue.py [--jobs 1000]``. Starts moto's server on loopback,
sends to a fresh queue for each path over real HTTP, and prints requests made, jobs/s and the
ratio. Targets (issue 2): at most 100 requests for the batch path and at least 5x the loop's speed.

moto recomputes a queue's approximate message counts (two scans of every stored message) on
each message it accepts, so its cost per message grows with the queue: at 1,000 messages that
emulator artefact, which real SQS does not have, would dominate both paths equally. The
benchmark therefore runs the server in this process and makes those counters constant while it
runs; everything else (HTTP, parsing, validation, storage) is moto's normal path.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from pydantic import BaseModel

from glasswork import JobContext, JobService, SQSQueueDriver, define_job
from glasswork.testing import LocalAWS


class SignupEvent(BaseModel):
    user_id: str
    email: str
    plan: str


def handle(payload: SignupEvent, ctx: JobContext) -> None:
    pass


signup = define_job("track-signup", handle, schema=SignupEvent)


def payloads(count: int) -> list[SignupEvent]:
    return [
        SignupEvent(user_id=f"u{i}", email=f"user{i}@example.com", plan="pro") for i in range(count)
    ]


def fresh_service(aws: LocalAWS, name: str) -> tuple[JobService, Any, list[int]]:
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    client = aws.client("sqs")
    requests = [0]

    def count(**_: Any) -> None:
        requests[0] += 1

    client.meta.events.register("before-send.sqs", count)
    return JobService(SQSQueueDriver({"default": url}, client=client)), sqs, requests


def neutralise_moto_queue_counters() -> None:
    """Make moto's per-send O(queue length) counter scans constant (see the module docstring)."""
    from moto.sqs.models import Queue

    for name in (
        "approximate_number_of_messages",
        "approximate_number_of_messages_delayed",
        "approximate_number_of_messages_not_visible",
    ):
        setattr(Queue, name, property(lambda self: 0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=1000)
    jobs = parser.parse_args().jobs
    items = payloads(jobs)
    neutralise_moto_queue_counters()
    with LocalAWS() as aws:
        warm, _, _ = fresh_service(aws, "warm-up")
        warm.enqueue_batch([(signup, p) for p in items[:50]])
        for payload in items[:20]:
            warm.enqueue(signup, payload)

        loop_service, _, loop_requests = fresh_service(aws, "loop")
        start = time.perf_counter()
        for payload in items:
            loop_service.enqueue(signup, payload)
        loop_seconds = time.perf_counter() - start

        batch_service, _, batch_requests = fresh_service(aws, "batch")
        start = time.perf_counter()
        results = batch_service.enqueue_batch([(signup, p) for p in items])
        batch_seconds = time.perf_counter() - start
        failed = sum(not result.ok for result in results)

    print(f"jobs enqueued per path        {jobs}")
    for label, requests, seconds in [
        ("loop of enqueue", loop_requests[0], loop_seconds),
        ("enqueue_batch", batch_requests[0], batch_seconds),
    ]:
        rate = jobs / seconds
        print(f"{label:<20}requests  {requests:>6}   {rate:>9,.0f} jobs/s   {seconds:.3f} s")
    print(f"batch failures                {failed}")
    print(f"speed-up (batch / loop)       {loop_seconds / batch_seconds:.1f}x   (target >= 5x)")
    print(f"batch requests                {batch_requests[0]} (target <= {jobs // 10})")


if __name__ == "__main__":
    main()
