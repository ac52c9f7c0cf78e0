"""Reading an SQS record: from its body to a job and a validated payload, or why it is poison.

A poison message can never succeed however often it is delivered: its body is not JSON, names
no job, names a job nobody registered, or carries a payload the job's schema rejects. The worker
dead-letters such messages at once instead of letting SQS redeliver them until its redrive limit.

``read_record`` never raises: whatever goes wrong while reading one record (a body nested too
deeply for the parser, a validator that raises something unexpected) makes that record poison,
with a reason, and never fails the other records of its batch.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from glasswork.jobs.errors import InvalidJobPayloadError, JobError
from glasswork.jobs.message import JobMessage
from glasswork.worker.events import SQSRecord
from glasswork.worker.registry import JobRegistry, RegisteredJob, UnknownJobError

if TYPE_CHECKING:
    from glasswork.jobs.message_adapter import AdaptedMessage
    from glasswork.worker.dead_letter import DeadLetterReason

__all__ = ["JOB_NAME_FIRST", "Delivery", "PoisonMessageError", "attempt_number_of", "read_record"]


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


class Delivery:
    """One delivery of one SQS record, read once: its job and payload, or why it is poison.

    Parameters:
        record: the SQS record.
        attempt_number: its ``ApproximateReceiveCount``.
        job: the registered job (``None`` for a poison message whose job is unknown).
        message: the parsed body (``None`` when the body is not a job message).
        payload: the validated payload (an instance of the job's schema; ``None`` if poison).
        poison: why the record is poison (``None`` for a runnable job).
    """

    # A plain class, not a dataclass: made once per record, and a dataclass costs a cold start
    # about half a millisecond to build its methods.
    __slots__ = ("attempt_number", "job", "message", "payload", "poison", "record")

    def __init__(
        self,
        record: SQSRecord,
        attempt_number: int,
        job: RegisteredJob | None = None,
        message: JobMessage | None = None,
        payload: Any = None,
        poison: PoisonMessageError | None = None,
    ) -> None:
        self.record = record
        self.attempt_number = attempt_number
        self.job = job
        self.message = message
        self.payload = payload
        self.poison = poison

    def __repr__(self) -> str:
        return (
            f"Delivery(record={self.record!r}, attempt_number={self.attempt_number!r}, "
            f"job={self.job!r}, message={self.message!r}, payload={self.payload!r}, "
            f"poison={self.poison!r})"
        )

    @property
    def job_name(self) -> str | None:
        """The job the record names, as far as its body tells."""
        if self.message is not None:
            return self.message.job_name
        return None if self.poison is None else self.poison.job_name

    @property
    def job_id(self) -> str | None:
        """The job id the record carries, as far as its body tells."""
        if self.message is not None:
            return self.message.job_id
        return None if self.poison is None else self.poison.job_id


def attempt_number_of(record: SQSRecord) -> int:
    """The delivery count of ``record`` (``ApproximateReceiveCount``; 1 when absent)."""
    try:
        count = record["attributes"].get("ApproximateReceiveCount")
        return 1 if count is None else max(1, int(count))
    except (KeyError, ValueError, TypeError, AttributeError):
        return 1


JOB_NAME_FIRST = '{"jobName":"'
"""How every body ``JobMessage.to_json`` writes starts: its job name comes first, at index 12."""


def read_record(record: SQSRecord, registry: JobRegistry) -> Delivery:
    """Read ``record``'s body and validate its payload; never raises (poison says why not).

    A body as ``JobService`` writes it, of a job whose payload type is known, is parsed and
    validated in one pass by the job's message model; any other body, or one that model
    refuses, goes the general way, which also says exactly what is wrong.
    """
    body = record["body"]
    if body.startswith(JOB_NAME_FIRST):
        job = registry.by_name.get(body[12 : body.find('"', 12)])
        read_body = None if job is None else job.read_body
        if read_body is not None:
            try:
                message = read_body(body)
                count = record["attributes"].get("ApproximateReceiveCount", "1")
                attempt = 1 if count == "1" else max(1, int(count))
            except Exception:
                pass  # the general way below says why
            else:
                return Delivery(record, attempt, job, message, message.payload)
    # The general way: foreign bodies (SES events) and poison, whose reasons load with them.
    from glasswork.worker.dead_letter import DeadLetterReason

    delivery = Delivery(record, attempt_number_of(record))
    try:
        message = _message_of(record, registry)
        delivery.message = message
        job = delivery.job = registry.get(message.job_name)
        if job is None:
            unknown = UnknownJobError(message.job_name, registry.names())
            raise PoisonMessageError(
                DeadLetterReason.UNKNOWN_JOB,
                f"message {record['messageId']}: {unknown}",
                job_name=message.job_name,
                job_id=message.job_id,
            )
        delivery.payload = job.definition.validate_payload(message.payload)
    except PoisonMessageError as poison:
        delivery.poison = poison.with_traceback(None)
    except InvalidJobPayloadError as error:
        delivery.poison = _poison(delivery, DeadLetterReason.INVALID_PAYLOAD, str(error))
    except RecursionError:
        delivery.poison = _poison(
            delivery, DeadLetterReason.INVALID_JSON, "body is nested too deeply to read"
        )
    except Exception as error:
        # A validator of the user's schema may raise anything; the record is poison either way.
        reason = DeadLetterReason.INVALID_PAYLOAD if delivery.job else DeadLetterReason.UNREADABLE
        delivery.poison = _poison(delivery, reason, f"{type(error).__name__}: {error}")
    return delivery


def _poison(delivery: Delivery, reason: DeadLetterReason, what: str) -> PoisonMessageError:
    message_id = delivery.record.get("messageId", "?")
    job_name = delivery.job_name
    job = f" for job {job_name!r}" if job_name else ""
    return PoisonMessageError(
        reason,
        f"message {message_id}{job}: {what}",
        job_name=job_name,
        job_id=delivery.job_id,
    )


def _message_of(record: SQSRecord, registry: JobRegistry) -> JobMessage:
    try:
        return JobMessage.model_validate_json(record["body"])
    except ValidationError:
        return _lenient_message(record, registry)


def _lenient_message(record: SQSRecord, registry: JobRegistry) -> JobMessage:
    from glasswork.worker.dead_letter import DeadLetterReason

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
    return JobMessage.model_validate(
        {
            "jobName": adapted.job_name,
            "payload": adapted.payload,
            "jobId": adapted.job_id or record["messageId"],
            "enqueuedAt": _sent_at(record),
        }
    )


def _sent_at(record: SQSRecord) -> datetime:
    sent = record["attributes"].get("SentTimestamp")
    if sent is not None and sent.isdigit():
        return datetime.fromtimestamp(int(sent) / 1000, tz=UTC)
    return datetime.now(UTC)
