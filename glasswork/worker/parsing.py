"""From an SQS record to a validated job, or the reason it is a poison message.

A poison message can never succeed however often it is delivered: its body is not JSON, names
no job, names a job nobody registered, or carries a payload the job's schema rejects. The worker
dead-letters such messages at once instead of letting SQS redeliver them until its redrive limit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from glasswork.jobs.errors import InvalidJobPayloadError, JobError
from glasswork.jobs.message import JobMessage
from glasswork.jobs.message_adapter import AdaptedMessage
from glasswork.worker.dead_letter import DeadLetterReason
from glasswork.worker.events import SQSRecord
from glasswork.worker.registry import JobRegistry, RegisteredJob, UnknownJobError

__all__ = ["ParsedJob", "PoisonMessageError", "attempt_number_of", "parse_record"]


class PoisonMessageError(JobError):
    """A message that no number of retries can run.

    Parameters:
        reason: which kind of poison (``DeadLetterReason``).
        message: what is wrong, naming the message id and, when known, the job.
        job_name: the job the body names, if any.
        job_id: the job id the body carries, if any.
    """

    def __init__(
        self,
        reason: DeadLetterReason,
        message: str,
        *,
        job_name: str | None = None,
        job_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.job_name = job_name
        self.job_id = job_id


@dataclass(slots=True)
class ParsedJob:
    """A record whose job is known and whose payload passed the job's schema.

    Parameters:
        job: the registered job.
        message: the parsed body.
        payload: the validated payload (an instance of the job's schema).
    """

    job: RegisteredJob
    message: JobMessage
    payload: Any


def attempt_number_of(record: SQSRecord) -> int:
    """The delivery count of ``record`` (``ApproximateReceiveCount``; 1 when absent)."""
    try:
        return max(1, int(record["attributes"]["ApproximateReceiveCount"]))
    except (KeyError, ValueError):
        return 1


def parse_record(record: SQSRecord, registry: JobRegistry) -> ParsedJob:
    """Parse and validate ``record``'s body; raises ``PoisonMessageError`` saying why not."""
    body = record["body"]
    try:
        message = JobMessage.model_validate_json(body)
    except ValidationError:
        message = _lenient_message(record, registry)
    job = registry.get(message.job_name)
    if job is None:
        unknown = UnknownJobError(message.job_name, registry.names())
        raise PoisonMessageError(
            DeadLetterReason.UNKNOWN_JOB,
            f"message {record['messageId']}: {unknown}",
            job_name=message.job_name,
            job_id=message.job_id,
        )
    try:
        payload = job.definition.validate_payload(message.payload)
    except InvalidJobPayloadError as error:
        raise PoisonMessageError(
            DeadLetterReason.INVALID_PAYLOAD,
            f"message {record['messageId']}: {error}",
            job_name=message.job_name,
            job_id=message.job_id,
        ) from None
    return ParsedJob(job, message, payload)


def _lenient_message(record: SQSRecord, registry: JobRegistry) -> JobMessage:
    # Bodies written by hand or by a scheduler may lack jobId/enqueuedAt: only jobName is
    # required; the message id and the send time stand in for the rest. Bodies of other
    # services (SNS, EventBridge) name no job: a registered message adapter may claim them.
    message_id = record["messageId"]
    try:
        data = json.loads(record["body"])
    except ValueError as error:
        raise PoisonMessageError(
            DeadLetterReason.INVALID_JSON, f"message {message_id}: body is not JSON ({error})"
        ) from None
    job_name = data.get("jobName") if isinstance(data, dict) else None
    if job_name is None and isinstance(data, dict):
        adapted = registry.adapt(data)
        if adapted is not None:
            return _adapted_message(record, adapted)
    if not isinstance(job_name, str) or not job_name:
        raise PoisonMessageError(
            DeadLetterReason.MISSING_JOB_NAME,
            f'message {message_id}: body has no "jobName" string, so no job can run it',
        )
    data.setdefault("jobId", message_id)
    data.setdefault("enqueuedAt", _sent_at(record))
    try:
        return JobMessage.model_validate(data)
    except ValidationError as error:
        details = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
            for e in error.errors(include_url=False)
        )
        raise PoisonMessageError(
            DeadLetterReason.INVALID_MESSAGE,
            f"message {message_id} for job {job_name!r}: malformed job message ({details})",
            job_name=job_name,
        ) from None


def _adapted_message(record: SQSRecord, adapted: AdaptedMessage) -> JobMessage:
    return JobMessage(
        job_name=adapted.job_name,
        payload=adapted.payload,
        job_id=adapted.job_id or record["messageId"],
        enqueued_at=_sent_at(record),
    )


def _sent_at(record: SQSRecord) -> datetime:
    sent = record["attributes"].get("SentTimestamp")
    if sent is not None and sent.isdigit():
        return datetime.fromtimestamp(int(sent) / 1000, tz=UTC)
    return datetime.now(UTC)
