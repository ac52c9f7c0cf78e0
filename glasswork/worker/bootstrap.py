"""``bootstrap_worker``: the Lambda handler that runs an application's jobs."""

from __future__ import annotations

import copy
import gc
import logging
import os
import sys
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from glasswork.modules import Container, Module
from glasswork.worker.actions import QueueActions, SQSQueueActions
from glasswork.worker.batch import (
    DEFAULT_CONCURRENCY,
    DEFAULT_TIME_SAFETY_MARGIN_SECONDS,
    BatchRunner,
)
from glasswork.worker.events import BatchResponse, LambdaContext, SQSRecord, is_sqs_event
from glasswork.worker.hooks import WorkerHooks
from glasswork.worker.logs import json_logs_wanted, refresh_outcome_lines, use_json_logs
from glasswork.worker.metrics_setting import metrics_wanted
from glasswork.worker.outcome import RecordResult, batch_response
from glasswork.worker.registry import JobRegistry
from glasswork.worker.route import RecordRoute
from glasswork.worker.sqs import SQSConnection

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

    from glasswork.worker.direct import DirectInvocationResult
    from glasswork.worker.metrics import Metrics

__all__ = ["Worker", "bootstrap_worker", "warm_up_services"]

logger = logging.getLogger(__name__)


class Worker:
    """A Lambda handler for an application's jobs: ``handler(event, context)``.

    Made by ``bootstrap_worker``; one instance lives as long as its Lambda container, holding the
    warm state: the container of services, the job registry, the SQS client and queue URLs, the
    thread pool and the event loop.

    Parameters:
        module: the application's root module; its jobs and those of every module it imports
            are registered.
        hooks: lifecycle hooks (default: none).
        concurrency: records of a batch run at once (default 10).
        sqs_client: the boto3 SQS client for retries and dead-lettering (default: made on
            first need, with botocore's ``standard`` retry mode).
        dead_letter_queue_url: the DLQ for every message (default: each source queue's
            ``RedrivePolicy`` target, looked up once).
        time_safety_margin_seconds: a record is not started with less Lambda time left than
            this, in seconds (default 2.0).
        metrics: write CloudWatch EMF metrics (``True``, or a ``Metrics`` to write with); default
            ``None``: on when ``GLASSWORK_METRICS`` is ``1``/``true``, else off (and free).
        json_logs: every log line as one JSON object (``use_json_logs``); default ``None``: on
            when Lambda's log format is JSON or ``GLASSWORK_LOG_FORMAT=json``.
        queue_actions: the queue operations for retries and dead-lettering (default: SQS;
            the test helper ``glasswork.testing.drain`` passes an in-memory one).
    """

    def __init__(
        self,
        module: Module,
        *,
        hooks: WorkerHooks | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        sqs_client: SQSClient | None = None,
        dead_letter_queue_url: str | None = None,
        time_safety_margin_seconds: float = DEFAULT_TIME_SAFETY_MARGIN_SECONDS,
        metrics: bool | Metrics | None = None,
        json_logs: bool | None = None,
        queue_actions: QueueActions | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError(f"concurrency must be >= 1, got {concurrency}")
        self.module = module
        self.container = Container(module)
        self.registry = JobRegistry(self.container.jobs)
        self.hooks = hooks or WorkerHooks()
        self.concurrency = concurrency
        self.time_safety_margin_seconds = time_safety_margin_seconds
        self.connection = SQSConnection(sqs_client, dead_letter_queue_url=dead_letter_queue_url)
        self.queue_actions: QueueActions = queue_actions or SQSQueueActions(self.connection)
        self.metrics = _metrics_of(metrics)
        if json_logs if json_logs is not None else json_logs_wanted():
            use_json_logs()
        self._pool_lock = threading.Lock()
        self._thread_pool: ThreadPoolExecutor | None = None
        self._initialized = False
        self._runner = self._make_runner()

    def _make_runner(self) -> BatchRunner:
        self.route = RecordRoute(
            self.container, self.registry, self.hooks, self.queue_actions, metrics=self.metrics
        )
        return BatchRunner(
            self.route,
            concurrency=self.concurrency,
            time_safety_margin_seconds=self.time_safety_margin_seconds,
            pool=self._pool,
        )

    def __call__(
        self, event: Mapping[str, Any], context: LambdaContext | None = None
    ) -> BatchResponse | DirectInvocationResult:
        """Handle one Lambda invocation: an SQS batch, or one job named by the event."""
        if not self._initialized:
            self.initialize()
        if is_sqs_event(event):
            return self.handle_sqs_event(event, context)
        # Direct invocations (periodic jobs, EventBridge) are the rare way in: imported then.
        from glasswork.worker.direct import (
            UnsupportedEventError,
            direct_invocation_of,
            run_direct_invocation,
        )

        invocation = direct_invocation_of(event)
        if invocation is None:
            keys = sorted(event) if isinstance(event, Mapping) else type(event).__name__
            raise UnsupportedEventError(
                "the worker handles SQS events and job invocations "
                f'({{"jobName": ..., "payload": ...}}, or under "detail"); got an event with {keys}'
            )
        return run_direct_invocation(
            invocation,
            registry=self.registry,
            container=self.container,
            hooks=self.hooks,
            run_coroutine=self._runner.run_coroutine,
        )

    def initialize(self) -> None:
        """Build every singleton service once, and the clients they need on every invocation.

        Services with a ``warm_up()`` method (the SES transport, the DynamoDB idempotency store)
        make their clients and connections now: ``bootstrap_worker`` calls this in Lambda's init
        phase, which runs with the full CPU. A failure propagates and is retried next call.
        """
        if not self._initialized:
            self.container.initialize()
            warm_up_services(self.container)
            # tracing.py is imported only when the application imported OpenTelemetry.
            if "opentelemetry.trace" in sys.modules:
                from glasswork.tracing import Tracing, opentelemetry_in_use

                if opentelemetry_in_use():
                    self.route.tracing = Tracing()
            self._initialized = True

    def handle_sqs_event(
        self, event: Mapping[str, Any], context: LambdaContext | None = None
    ) -> BatchResponse:
        """Run an SQS batch; returns exactly the records SQS must deliver again."""
        return batch_response(self.process_records(event["Records"], context))

    def process_records(
        self, records: Sequence[SQSRecord], context: LambdaContext | None = None
    ) -> list[RecordResult]:
        """Run SQS records and return what happened to each, in record order."""
        if not self._initialized:
            self.initialize()
        # Lambda's clock, read once per batch.
        remaining_millis = None if context is None else context.get_remaining_time_in_millis()
        if remaining_millis is not None:
            self._warn_if_no_time(remaining_millis)
        refresh_outcome_lines()
        results = self._runner.run(records, remaining_millis)
        if self.metrics is not None:
            self.metrics.flush()
        return results

    def with_queue_actions(self, queue_actions: QueueActions) -> Worker:
        """A worker sharing this one's services, jobs and hooks, with other queue operations."""
        twin = copy.copy(self)
        twin.queue_actions = queue_actions
        twin._runner = twin._make_runner()
        return twin

    def close(self) -> None:
        """Stop the thread pool and close the event loop (for long-running processes)."""
        self._runner.close()
        with self._pool_lock:
            if self._thread_pool is not None:
                self._thread_pool.shutdown(wait=True)
                self._thread_pool = None

    def _pool(self) -> ThreadPoolExecutor:
        if self._thread_pool is None:
            with self._pool_lock:
                if self._thread_pool is None:
                    self._thread_pool = ThreadPoolExecutor(
                        max_workers=self.concurrency, thread_name_prefix="glasswork-worker"
                    )
        return self._thread_pool

    def _warn_if_no_time(self, remaining_millis: int) -> None:
        remaining = remaining_millis / 1000
        if remaining < self.time_safety_margin_seconds:
            logger.error(
                "only %.1f s of Lambda time left at the start of the invocation, under the "
                "worker's time_safety_margin_seconds (%.1f s): no record can start. Raise the "
                "function timeout or lower time_safety_margin_seconds.",
                remaining,
                self.time_safety_margin_seconds,
            )


def bootstrap_worker(
    module: Module,
    *,
    hooks: WorkerHooks | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    sqs_client: SQSClient | None = None,
    dead_letter_queue_url: str | None = None,
    time_safety_margin_seconds: float = DEFAULT_TIME_SAFETY_MARGIN_SECONDS,
    metrics: bool | Metrics | None = None,
    json_logs: bool | None = None,
    freeze_after_init: bool | None = None,
) -> Worker:
    """Make the Lambda handler for ``module``'s jobs (call it at import time of your handler).

    Builds the service container and the job registry now; duplicate job names raise
    ``DuplicateJobError`` naming both modules. Services, and the AWS clients they need on every
    invocation, are built now too (Lambda's init phase has the full CPU); a provider that fails
    is logged here, fails the first invocation with its error and is tried again on the next.

    Parameters:
        module: the application's root module.
        hooks: lifecycle hooks (default: none).
        concurrency: records of a batch run at once (default 10).
        sqs_client: boto3 SQS client for retries and dead-lettering (default: made lazily,
            ``standard`` retry mode; honours ``AWS_ENDPOINT_URL_SQS``).
        dead_letter_queue_url: DLQ for every message (default: from the source queue's
            ``RedrivePolicy``, looked up once per cold start).
        time_safety_margin_seconds: Lambda time, in seconds, that must be left to start a
            record (default 2.0); later records are reported failed unstarted.
        metrics: CloudWatch EMF metrics (default: off unless ``GLASSWORK_METRICS=1``).
        json_logs: JSON log lines (default: on in Lambda's JSON log format or with
            ``GLASSWORK_LOG_FORMAT=json``).
        freeze_after_init: ``gc.freeze()`` once the worker is built, so that the garbage
            collector never scans again what the init phase built (default: on in Lambda,
            where ``AWS_LAMBDA_FUNCTION_NAME`` is set; off elsewhere).
    """
    worker = Worker(
        module,
        hooks=hooks,
        concurrency=concurrency,
        sqs_client=sqs_client,
        dead_letter_queue_url=dead_letter_queue_url,
        time_safety_margin_seconds=time_safety_margin_seconds,
        metrics=metrics,
        json_logs=json_logs,
    )
    try:
        worker.initialize()
    except Exception as error:
        logger.warning(
            "building the services failed (%s: %s); the first invocation tries again",
            type(error).__name__,
            error,
        )
    if freeze_after_init if freeze_after_init is not None else _in_lambda():
        # Init built modules, classes, clients and services that live as long as the process.
        # Frozen, they leave the collector's generations: a full collection in an invocation
        # then scans only what invocations made, not everything a cold worker built, and the
        # first batch's collections shrink with it.
        gc.freeze()
    return worker


def _in_lambda() -> bool:
    return "AWS_LAMBDA_FUNCTION_NAME" in os.environ


def warm_up_services(container: Container) -> None:
    """Call ``warm_up()`` on every built service that has one (clients made ahead of need)."""
    for service in container.instances():
        warm_up = getattr(service, "warm_up", None)
        if callable(warm_up):
            warm_up()


def _metrics_of(metrics: bool | Metrics | None) -> Metrics | None:
    if metrics is None:
        metrics = metrics_wanted()
    if metrics is False:
        return None
    if metrics is True:
        # Imported only when metrics are on: off, they cost nothing, not even the import.
        from glasswork.worker.metrics import Metrics

        return Metrics()
    return metrics
