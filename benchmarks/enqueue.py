"""Benchmark: enqueue 1,000 jobs with ``enqueue_batch`` against per-message baselines, on SQS.

Run: ``.venv/bin/python benchmarks/enqueue.py [--jobs 1000]``. Starts moto's server on loopback
in its own process (so it does not share this process's CPU time), sends to a fresh queue for
each path over real HTTP, and prints requests made, jobs/s and the ratios against two baselines
run in the same run: a loop of ``enqueue``, and N ``SendMessage`` calls from a thread pool (what
the TypeScript original does with ``Promise.all``). Targets: ``enqueue_batch`` at least 5x the
concurrent baseline, and at most 1 request per 10 jobs.

The concurrent baseline and ``enqueue_batch`` run in alternating rounds (``--rounds``, default 5),
each round into fresh queues; the ratio is the median of the rounds' ratios, so one round slowed
by a busy machine moves it less than it moves a single pair of runs.

moto recomputes a queue's approximate message counts (two scans of every stored message) on
each message it accepts, so its cost per message grows with the queue: at 1,000 messages that
emulator artefact, which real SQS does not have, would dominate every path equally. The server
process therefore makes those counters constant; everything else (HTTP, parsing, validation,
storage) is moto's normal path.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple

from pydantic import BaseModel

from glasswork import JobContext, JobService, SQSQueueDriver, define_job
from glasswork.testing.local_aws import LOCAL_REGION, _free_port, _make_server


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


def counted_client(endpoint_url: str) -> tuple[Any, list[int]]:
    """An SQS client on ``endpoint_url`` that counts the requests it makes."""
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "sqs",
        endpoint_url=endpoint_url,
        region_name=LOCAL_REGION,
        aws_access_key_id="benchmark",
        aws_secret_access_key="benchmark",
        config=Config(max_pool_connections=CONCURRENT_SENDS),
    )
    requests = [0]

    def count(**_: Any) -> None:
        requests[0] += 1

    client.meta.events.register("before-send.sqs", count)
    return client, requests


CONCURRENT_SENDS = 16
"""Threads of the concurrent per-message baseline (and the client's connection pool)."""


def fresh_service(endpoint_url: str, name: str) -> tuple[JobService, Any, list[int]]:
    client, requests = counted_client(endpoint_url)
    url = client.create_queue(QueueName=name)["QueueUrl"]
    requests[0] = 0

    def count(**_: Any) -> None:
        requests[0] += 1

    return JobService(SQSQueueDriver({"default": url}, client=client)), url, requests


def neutralise_moto_queue_counters() -> None:
    """Make moto's per-send O(queue length) counter scans constant (see the module docstring)."""
    from moto.sqs.models import Queue

    for name in (
        "approximate_number_of_messages",
        "approximate_number_of_messages_delayed",
        "approximate_number_of_messages_not_visible",
    ):
        setattr(Queue, name, property(lambda self: 0))


def serve(port: int) -> None:
    """The emulator's process: moto on loopback with constant queue counters, until killed."""
    neutralise_moto_queue_counters()
    _make_server("127.0.0.1", port).serve_forever()


def start_emulator() -> tuple[subprocess.Popen[bytes], str]:
    """Start the emulator process; returns it and its endpoint URL once it answers."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=2):
                return process, endpoint
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)


def concurrent_send_messages(
    endpoint_url: str, items: list[SignupEvent], queue_name: str
) -> tuple[int, float]:
    """Baseline: one ``SendMessage`` per job from a thread pool; (requests, seconds)."""
    client, requests = counted_client(endpoint_url)
    url = client.create_queue(QueueName=queue_name)["QueueUrl"]
    requests[0] = 0
    bodies = [
        json.dumps({"jobName": signup.name, "payload": item.model_dump(), "jobId": str(n)})
        for n, item in enumerate(items)
    ]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CONCURRENT_SENDS) as pool:
        list(pool.map(lambda body: client.send_message(QueueUrl=url, MessageBody=body), bodies))
    return requests[0], time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--serve", type=int, default=None, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve is not None:
        serve(options.serve)
        return
    jobs = options.jobs
    load_at_start = os.getloadavg()[0]
    items = payloads(jobs)
    emulator, endpoint = start_emulator()
    try:
        warm, _, _ = fresh_service(endpoint, "warm-up")
        warm.enqueue_batch([(signup, p) for p in items[:50]])
        for payload in items[:20]:
            warm.enqueue(signup, payload)

        loop_service, _, loop_requests = fresh_service(endpoint, "loop")
        start = time.perf_counter()
        for payload in items:
            loop_service.enqueue(signup, payload)
        loop_seconds = time.perf_counter() - start

        rounds = [one_round(endpoint, items, n) for n in range(options.rounds)]
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)
    concurrent_requests = rounds[0].concurrent_requests
    batch_requests = rounds[0].batch_requests
    concurrent_seconds = statistics.median(r.concurrent_seconds for r in rounds)
    batch_seconds = statistics.median(r.batch_seconds for r in rounds)
    failed = sum(r.failed for r in rounds)
    ratios = [r.concurrent_seconds / r.batch_seconds for r in rounds]

    print(
        f"jobs enqueued per path        {jobs} (emulator in its own process; "
        f"{len(rounds)} rounds, medians)"
    )
    for label, requests, seconds in [
        ("loop of enqueue (once)", loop_requests[0], loop_seconds),
        (f"{CONCURRENT_SENDS} threads x SendMessage", concurrent_requests, concurrent_seconds),
        ("enqueue_batch", batch_requests, batch_seconds),
    ]:
        rate = jobs / seconds
        print(f"{label:<26}requests {requests:>6}  {rate:>9,.0f} jobs/s  {seconds:.3f} s")
    print(f"batch failures                {failed}")
    print(f"speed-up over the loop        {loop_seconds / batch_seconds:.1f}x")
    print(f"rounds' ratios                {', '.join(f'{ratio:.1f}x' for ratio in ratios)}")
    print(
        f"speed-up over concurrent sends {statistics.median(ratios):.1f}x   (median of the rounds; "
        "target >= 5x)"
    )
    print(
        f"batch requests                {batch_requests} "
        f"({batch_requests / jobs * 10:.2f} per 10 jobs; target <= 1)"
    )
    print(
        f"machine                       {os.cpu_count()} cores, load {load_at_start:.2f} at the "
        f"start, {os.getloadavg()[0]:.2f} at the end"
    )


class Round(NamedTuple):
    """One round: the concurrent baseline, then ``enqueue_batch``, each into a fresh queue."""

    concurrent_requests: int
    concurrent_seconds: float
    batch_requests: int
    batch_seconds: float
    failed: int


def one_round(endpoint: str, items: list[SignupEvent], number: int) -> Round:
    """Run round ``number``: both paths, ``items`` each, on fresh queues."""
    concurrent_requests, concurrent_seconds = concurrent_send_messages(
        endpoint, items, f"concurrent-{number}"
    )
    batch_service, _, batch_requests = fresh_service(endpoint, f"batch-{number}")
    start = time.perf_counter()
    results = batch_service.enqueue_batch([(signup, p) for p in items])
    batch_seconds = time.perf_counter() - start
    failed = sum(not result.ok for result in results)
    return Round(concurrent_requests, concurrent_seconds, batch_requests[0], batch_seconds, failed)


if __name__ == "__main__":
    main()
