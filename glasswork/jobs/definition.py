"""Job definitions: ``define_job`` and ``define_periodic_job``."""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from pydantic import TypeAdapter, ValidationError

from glasswork.idempotency.base import DEFAULT_LEASE_SECONDS
from glasswork.jobs.errors import InvalidJobDefinitionError, InvalidJobPayloadError
from glasswork.jobs.idempotent import guard_handler
from glasswork.jobs.ignored import Ignored
from glasswork.jobs.retry_policy import RetryPolicy
from glasswork.jobs.schedule_expression import validate_schedule_expression

if TYPE_CHECKING:
    from glasswork.jobs.batch_item import BatchItem
    from glasswork.jobs.context import JobContext
    from glasswork.jobs.message_adapter import MessageAdapter

__all__ = [
    "DEFAULT_QUEUE",
    "JOB_NAME_MAX_LENGTH",
    "JobDefinition",
    "JobHandler",
    "PeriodicJobDefinition",
    "define_job",
    "define_periodic_job",
]

P = TypeVar("P")

DEFAULT_QUEUE = "default"
"""The queue name a job uses when it names none."""

JOB_NAME_MAX_LENGTH = 64
"""Longest job name, in characters: the limit of an EventBridge Scheduler schedule name."""

_JOB_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")

JobHandler = Callable[[P, "JobContext"], Awaitable[Ignored | None] | Ignored | None]
"""A job's handler: ``handler(payload, ctx)``, a plain function or a coroutine function; it
returns ``None``, or ``Ignored(reason)`` when it chose not to do its work."""


class JobDefinition(Generic[P]):
    """A named, typed unit of background work. Create one with ``define_job``.

    Parameters:
        name: unique job name (letters, digits, ``_ . -``; at most 64 characters).
        handler: ``handler(payload, ctx)``, sync or async.
        schema: pydantic adapter that validates and serialises the payload, or a function
            returning it, called once on first use (for a payload whose models are costly to
            import and that the worker may never see, like the SES event union).
        queue: name of the queue the job goes to (a key of the driver's ``queues``).
        retry: the job's ``RetryPolicy``.
        unique: key function of the payload, the FIFO deduplication id.
        group: key function of the payload, the FIFO message group id (default: queue name).
        message_adapter: recognises queue messages without ``jobName`` (an SNS envelope, an
            EventBridge event) that this job runs (default none; see ``message_adapter.py``).
        idempotent: run the handler at most once per job id, guarded by the app's
            ``idempotency_store`` (default ``False``; see ``glasswork.jobs.idempotent``).
        idempotency_key: key function of the payload; implies ``idempotent`` and makes two
            jobs with the same key one (default: the job id).
        idempotency_lease_seconds: how long a claim keeps other attempts away, in seconds;
            longer than the handler runs (default 120).
    """

    def __init__(
        self,
        name: str,
        handler: JobHandler[P],
        schema: TypeAdapter[P] | Callable[[], TypeAdapter[P]],
        *,
        queue: str = DEFAULT_QUEUE,
        retry: RetryPolicy | int | bool | None = None,
        unique: Callable[[P], str] | None = None,
        group: Callable[[P], str] | None = None,
        message_adapter: MessageAdapter | None = None,
        idempotent: bool = False,
        idempotency_key: Callable[[P], str] | None = None,
        idempotency_lease_seconds: float = DEFAULT_LEASE_SECONDS,
    ) -> None:
        _check_job_name(name)
        if not callable(handler):
            raise InvalidJobDefinitionError(f"job {name!r}: handler must be callable")
        if not queue:
            raise InvalidJobDefinitionError(f"job {name!r}: queue name must not be empty")
        self.name = name
        self.handler = handler
        self._schema: TypeAdapter[P] | None = None
        self._schema_factory: Callable[[], TypeAdapter[P]] | None = None
        if isinstance(schema, TypeAdapter):
            self._schema = schema
        else:
            self._schema_factory = schema
        self.queue = queue
        self.retry = RetryPolicy.from_option(retry)
        self.unique = unique
        self.group = group
        self.message_adapter = message_adapter
        self.is_async = inspect.iscoroutinefunction(handler)
        self.idempotent = idempotent or idempotency_key is not None
        if self.idempotent:
            if not idempotency_lease_seconds > 0:
                raise InvalidJobDefinitionError(
                    f"job {name!r}: idempotency_lease_seconds must be > 0, got "
                    f"{idempotency_lease_seconds!r}"
                )
            self.handler = guard_handler(
                handler, key=idempotency_key, lease_seconds=idempotency_lease_seconds
            )

    @property
    def schema(self) -> TypeAdapter[P]:
        """The pydantic adapter that validates and serialises the payload."""
        schema = self._schema
        if schema is None:
            assert self._schema_factory is not None
            schema = self._schema = self._schema_factory()
        return schema

    def batch_item(self, payload: P) -> BatchItem[P]:
        """This job with ``payload``, for ``JobService.enqueue_batch`` (checked as typed)."""
        from glasswork.jobs.batch_item import BatchItem

        return BatchItem(self, payload)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, queue={self.queue!r})"

    def validate_payload(self, payload: object) -> P:
        """Validate a model instance or a plain dict/JSON value against the job's schema.

        Raises ``InvalidJobPayloadError`` naming the job and each failing field.
        """
        try:
            return self.schema.validate_python(payload)
        except ValidationError as error:
            raise InvalidJobPayloadError(self.name, error.errors(include_url=False)) from None

    def dump_payload(self, payload: P) -> Any:
        """The validated payload as JSON-compatible values, as it travels in the message."""
        return self.schema.dump_python(payload, mode="json")


class PeriodicJobDefinition(JobDefinition[P]):
    """A job run on a schedule by EventBridge Scheduler. Create one with ``define_periodic_job``.

    Parameters:
        schedule: an EventBridge ``cron(...)`` or ``rate(...)`` expression, validated here.
        timezone: the IANA time zone the cron expression is read in (default ``"UTC"``).
        (all other parameters as ``JobDefinition``)
    """

    def __init__(
        self,
        name: str,
        handler: JobHandler[P],
        schema: TypeAdapter[P],
        *,
        schedule: str,
        timezone: str = "UTC",
        queue: str = DEFAULT_QUEUE,
        retry: RetryPolicy | int | bool | None = None,
    ) -> None:
        super().__init__(name, handler, schema, queue=queue, retry=retry)
        try:
            self.schedule = validate_schedule_expression(schedule)
        except InvalidJobDefinitionError as error:
            raise InvalidJobDefinitionError(f"periodic job {name!r}: {error}") from None
        self.timezone = timezone


def _check_job_name(name: object) -> None:
    if not isinstance(name, str) or not name:
        raise InvalidJobDefinitionError(f"job name must be a non-empty string, got {name!r}")
    if len(name) > JOB_NAME_MAX_LENGTH:
        raise InvalidJobDefinitionError(
            f"job name {name!r} is {len(name)} characters; at most {JOB_NAME_MAX_LENGTH} allowed"
        )
    if not _JOB_NAME.fullmatch(name):
        raise InvalidJobDefinitionError(
            f"job name {name!r} may only contain letters, digits, '_', '.' and '-', "
            "and must start with a letter or digit"
        )


def _adapter(schema: type[P] | TypeAdapter[P] | None) -> TypeAdapter[Any]:
    if schema is None:
        return TypeAdapter(dict[str, Any])
    if isinstance(schema, TypeAdapter):
        return schema
    return TypeAdapter(schema)


@overload
def define_job(
    name: str,
    handler: JobHandler[P],
    *,
    schema: type[P] | TypeAdapter[P],
    queue: str = ...,
    retry: RetryPolicy | int | bool | None = ...,
    unique: Callable[[P], str] | None = ...,
    group: Callable[[P], str] | None = ...,
    idempotent: bool = ...,
    idempotency_key: Callable[[P], str] | None = ...,
    idempotency_lease_seconds: float = ...,
) -> JobDefinition[P]: ...


@overload
def define_job(
    name: str,
    handler: JobHandler[dict[str, Any]],
    *,
    schema: None = ...,
    queue: str = ...,
    retry: RetryPolicy | int | bool | None = ...,
    unique: Callable[[dict[str, Any]], str] | None = ...,
    group: Callable[[dict[str, Any]], str] | None = ...,
    idempotent: bool = ...,
    idempotency_key: Callable[[dict[str, Any]], str] | None = ...,
    idempotency_lease_seconds: float = ...,
) -> JobDefinition[dict[str, Any]]: ...


def define_job(
    name: str,
    handler: JobHandler[Any],
    *,
    schema: type[Any] | TypeAdapter[Any] | None = None,
    queue: str = DEFAULT_QUEUE,
    retry: RetryPolicy | int | bool | None = None,
    unique: Callable[[Any], str] | None = None,
    group: Callable[[Any], str] | None = None,
    idempotent: bool = False,
    idempotency_key: Callable[[Any], str] | None = None,
    idempotency_lease_seconds: float = DEFAULT_LEASE_SECONDS,
) -> JobDefinition[Any]:
    """Define a job.

    Parameters:
        name: unique job name (letters, digits, ``_ . -``; at most 64 characters).
        handler: ``handler(payload, ctx)``; ``payload`` is an instance of ``schema``.
        schema: a pydantic model (or any type, or a ``TypeAdapter``) for the payload;
            default: any JSON object, as a ``dict``.
        queue: the queue the job goes to (default ``"default"``).
        retry: ``None`` for 25 attempts then dead-letter; an int ``n`` for ``n`` attempts;
            ``False`` for one attempt then discard; or a ``RetryPolicy``.
        unique: key function of the payload used as FIFO deduplication id.
        group: key function of the payload used as FIFO message group id.
        idempotent: run the handler at most once per job id, guarded by the app's
            ``idempotency_store`` provider (default ``False``).
        idempotency_key: key function of the payload; implies ``idempotent``; jobs with the
            same key run once (default: the job id).
        idempotency_lease_seconds: how long a claim keeps other attempts away, in seconds
            (default 120); longer than the handler runs.
    """
    return JobDefinition(
        name,
        handler,
        _adapter(schema),
        queue=queue,
        retry=retry,
        unique=unique,
        group=group,
        idempotent=idempotent,
        idempotency_key=idempotency_key,
        idempotency_lease_seconds=idempotency_lease_seconds,
    )


@overload
def define_periodic_job(
    name: str,
    handler: JobHandler[P],
    *,
    schedule: str,
    schema: type[P] | TypeAdapter[P],
    timezone: str = ...,
    queue: str = ...,
    retry: RetryPolicy | int | bool | None = ...,
) -> PeriodicJobDefinition[P]: ...


@overload
def define_periodic_job(
    name: str,
    handler: JobHandler[dict[str, Any]],
    *,
    schedule: str,
    schema: None = ...,
    timezone: str = ...,
    queue: str = ...,
    retry: RetryPolicy | int | bool | None = ...,
) -> PeriodicJobDefinition[dict[str, Any]]: ...


def define_periodic_job(
    name: str,
    handler: JobHandler[Any],
    *,
    schedule: str,
    schema: type[Any] | TypeAdapter[Any] | None = None,
    timezone: str = "UTC",
    queue: str = DEFAULT_QUEUE,
    retry: RetryPolicy | int | bool | None = None,
) -> PeriodicJobDefinition[Any]:
    """Define a job that EventBridge Scheduler runs on a schedule.

    Parameters:
        name: unique job name, also the schedule's name (at most 64 characters).
        handler: ``handler(payload, ctx)``; the payload is the schedule's input (default ``{}``).
        schedule: ``cron(min hour day-of-month month day-of-week year)`` or
            ``rate(N minutes|hours|days)``; a malformed expression raises here, at import.
        schema: payload type of the schedule's input (default: any JSON object).
        timezone: IANA time zone for the cron expression (default ``"UTC"``).
        queue: queue used when the job is enqueued by hand (default ``"default"``).
        retry: as for ``define_job``.
    """
    return PeriodicJobDefinition(
        name,
        handler,
        _adapter(schema),
        schedule=schedule,
        timezone=timezone,
        queue=queue,
        retry=retry,
    )
