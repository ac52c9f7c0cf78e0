"""Run everything a ``MockQueueDriver`` holds through the real worker, without AWS.

    result = drain(AppModule, mock_driver)
    assert result.succeeded_job_names() == ["send-welcome"]

Each enqueued message becomes an SQS record and goes through the same code as in Lambda:
payload validation, hooks, the handler, the retry and dead-letter decisions and the log lines.
Only the queue is simulated, with a virtual clock: a retried message is delivered again (its
receive count one higher) without waiting for its backoff, so a job that always fails is seen
through all its attempts to the dead-letter queue in one call. Jobs that handlers enqueue on the
same driver are drained too (provide the driver in your module with ``use_value`` so the
worker's services use that very instance).
"""

from __future__ import annotations

import heapq
import itertools
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from glasswork.jobs.message import JobMessage
from glasswork.modules import Module
from glasswork.testing.events import DEFAULT_REGION, make_sqs_record
from glasswork.worker.bootstrap import Worker
from glasswork.worker.dead_letter import DeadLetter
from glasswork.worker.events import SQSRecord
from glasswork.worker.hooks import WorkerHooks
from glasswork.worker.outcome import Outcome, RecordResult

__all__ = [
    "DeadLetteredMessage",
    "DrainLimitError",
    "DrainResult",
    "QueueDriverWithRecords",
    "drain",
]

DEFAULT_MAX_DELIVERIES = 1000
"""Deliveries after which ``drain`` gives up (a job that keeps enqueueing itself, say)."""

_BATCH_SIZE = 10
_ACCOUNT_ID = "123456789012"


class QueueDriverWithRecords(Protocol):
    """A queue driver that keeps what it was given (``MockQueueDriver``)."""

    @property
    def enqueued(self) -> list[Any]:
        """Enqueued records (each with ``.message``, and optionally ``.delay`` and ``.at``)."""
        ...


class DrainLimitError(RuntimeError):
    """``drain`` made ``max_deliveries`` deliveries and the queue was still not empty."""


@dataclass(frozen=True)
class DeadLetteredMessage:
    """A message the worker sent to the (simulated) dead-letter queue.

    Parameters:
        message_id: the SQS message id it had.
        body: its body, unchanged.
        letter: why it died (reason, error, attempt count).
    """

    message_id: str
    body: str
    letter: DeadLetter

    @property
    def reason(self) -> str:
        """Why it died: a ``DeadLetterReason`` value such as ``"retries_exhausted"``."""
        return self.letter.reason.value


@dataclass
class DrainResult:
    """Everything that happened in a ``drain``.

    Parameters:
        deliveries: the result of every delivery, in order (a retried job appears once per
            attempt).
        dead_letters: messages sent to the dead-letter queue.
        postponed: ``(message id, delay in seconds)`` of every retry backoff set.
    """

    deliveries: list[RecordResult] = field(default_factory=list)
    dead_letters: list[DeadLetteredMessage] = field(default_factory=list)
    postponed: list[tuple[str, int]] = field(default_factory=list)

    def with_outcome(self, outcome: Outcome) -> list[RecordResult]:
        """Deliveries that ended with ``outcome``."""
        return [result for result in self.deliveries if result.outcome is outcome]

    @property
    def succeeded(self) -> list[RecordResult]:
        """Deliveries whose handler returned."""
        return self.with_outcome(Outcome.SUCCEEDED)

    @property
    def ignored(self) -> list[RecordResult]:
        """Deliveries whose handler returned ``Ignored(reason)`` (the reason is ``.reason``)."""
        return self.with_outcome(Outcome.IGNORED)

    @property
    def dead_lettered(self) -> list[RecordResult]:
        """Deliveries that ended on the dead-letter queue."""
        return self.with_outcome(Outcome.DEAD_LETTERED)

    @property
    def discarded(self) -> list[RecordResult]:
        """Deliveries dropped by a ``dead=False`` policy."""
        return self.with_outcome(Outcome.DISCARDED)

    def succeeded_job_names(self) -> list[str]:
        """Names of the jobs that succeeded, in order."""
        return [result.job_name or "" for result in self.succeeded]


@dataclass(order=True)
class _Pending:
    due: datetime
    sequence: int
    message_id: str = field(compare=False)
    body: JobMessage = field(compare=False)
    queue: str | None = field(compare=False, default=None)
    receive_count: int = field(compare=False, default=1)


class _MemoryQueueActions:
    """``QueueActions`` on the simulated queue: remember backoffs and dead letters."""

    def __init__(self, result: DrainResult) -> None:
        self.result = result
        self.delays: dict[str, int] = {}

    def postpone(self, record: SQSRecord, delay_seconds: int) -> None:
        self.delays[record["messageId"]] = delay_seconds
        self.result.postponed.append((record["messageId"], delay_seconds))

    def dead_letter(self, record: SQSRecord, letter: DeadLetter) -> None:
        self.result.dead_letters.append(
            DeadLetteredMessage(record["messageId"], record["body"], letter)
        )


def drain(
    module_or_worker: Module | Worker,
    driver: QueueDriverWithRecords,
    *,
    hooks: WorkerHooks | None = None,
    max_deliveries: int = DEFAULT_MAX_DELIVERIES,
    follow_retries: bool = True,
) -> DrainResult:
    """Run every job enqueued on ``driver`` through the real worker path; empties ``enqueued``.

    Messages run in the order they fall due (delays and ``enqueue_at`` times on a virtual clock),
    up to 10 per batch, concurrently as in Lambda.

    Parameters:
        module_or_worker: the application's root module, or a worker from ``bootstrap_worker``
            (its hooks and settings are used; its SQS client is not).
        driver: the ``MockQueueDriver`` the application enqueued on.
        hooks: hooks for a worker made here from a module (default: none).
        max_deliveries: raise ``DrainLimitError`` after this many deliveries (default 1000).
        follow_retries: deliver failed jobs again until they succeed or die (default ``True``);
            ``False`` runs each message once and leaves failures out of the queue.
    """
    result = DrainResult()
    actions = _MemoryQueueActions(result)
    if isinstance(module_or_worker, Worker):
        worker = module_or_worker.with_queue_actions(actions)
    else:
        worker = Worker(module_or_worker, hooks=hooks, queue_actions=actions)
    counter = itertools.count()
    pending: list[_Pending] = []
    clock = datetime.now(UTC)

    def take_enqueued() -> None:
        while driver.enqueued:
            item = driver.enqueued.pop(0)
            message_id = getattr(item, "message_id", None) or str(uuid.uuid4())
            queue = getattr(item, "queue", None)
            heapq.heappush(
                pending,
                _Pending(_due(item, clock), next(counter), message_id, item.message, queue),
            )

    take_enqueued()
    deliveries = 0
    while pending:
        batch = [heapq.heappop(pending) for _ in range(min(_BATCH_SIZE, len(pending)))]
        clock = max(clock, batch[-1].due)
        deliveries += len(batch)
        if deliveries > max_deliveries:
            raise DrainLimitError(
                f"drain made {max_deliveries} deliveries and jobs are still queued "
                f"(next: {batch[0].body.job_name!r}); a job may be enqueueing itself"
            )
        records = [_record(worker, item) for item in batch]
        outcomes = worker.process_records(records)
        result.deliveries.extend(outcomes)
        for item, outcome in zip(batch, outcomes, strict=True):
            if outcome.outcome.acknowledges or not follow_retries:
                continue
            delay = actions.delays.pop(item.message_id, 0)
            item.due = clock + timedelta(seconds=delay)
            item.sequence = next(counter)
            item.receive_count += 1
            heapq.heappush(pending, item)
        take_enqueued()
    return result


def _due(item: Any, now: datetime) -> datetime:
    at = getattr(item, "at", None)
    if isinstance(at, datetime):
        return at if at.tzinfo else at.replace(tzinfo=UTC)
    delay = getattr(item, "delay", None)
    return now + delay if isinstance(delay, timedelta) else now


def _record(worker: Worker, item: _Pending) -> SQSRecord:
    queue = item.queue
    if queue is None:
        job = worker.registry.get(item.body.job_name)
        queue = job.definition.queue if job is not None else "default"
    return make_sqs_record(
        item.body,
        message_id=item.message_id,
        receive_count=item.receive_count,
        queue_arn=f"arn:aws:sqs:{DEFAULT_REGION}:{_ACCOUNT_ID}:{queue}",
    )
