"""The worker's job registry: job name → definition, built once per cold start."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, create_model

from glasswork.jobs.definition import JobDefinition
from glasswork.jobs.errors import DuplicateJobError, JobError
from glasswork.jobs.message import JobMessage
from glasswork.modules import Module

if TYPE_CHECKING:
    from glasswork.jobs.message_adapter import AdaptedMessage, MessageAdapter

__all__ = ["JobRegistry", "RegisteredJob", "UnknownJobError"]

logger = logging.getLogger(__name__)

_FAST_DURATION_DECAY = 0.9
"""Weight of the old estimate when a run is faster than it (slow runs replace it at once)."""


class UnknownJobError(JobError, LookupError):
    """A message or an invocation names a job that no loaded module defines.

    Parameters:
        job_name: the name that was asked for.
        known: the names the registry knows.
    """

    def __init__(self, job_name: str, known: Iterable[str]) -> None:
        names = sorted(known)
        shown = ", ".join(repr(name) for name in names[:20]) or "none"
        more = f" (and {len(names) - 20} more)" if len(names) > 20 else ""
        super().__init__(
            f"no job named {job_name!r} is registered; known jobs: {shown}{more}. "
            "Add the job to the `jobs` of a module imported by the worker's root module."
        )
        self.job_name = job_name


class RegisteredJob:
    """A job definition, the module defining it, and its logger.

    Parameters:
        definition: the job.
        module: the module whose ``jobs`` list it.
        logger: the logger behind ``ctx.logger`` (``glasswork.job.<job name>``).
        duration_estimate_seconds: how long the handler took lately, in seconds (``None`` before
            its first run); a warm cache that lets the worker run quick jobs inline instead of
            paying for a hand-off to a thread.

    Made once per job definition, it also holds what the worker reads on every record of the
    job: ``handler`` and ``is_async`` (the definition's) and ``read_body``, which parses and
    validates a body in one pass with the job's ``message_model`` (``None`` when there is none).
    """

    # A plain class, not a dataclass: a dataclass costs a cold start about half a millisecond
    # to build its methods, and nothing compares or copies registered jobs.
    __slots__ = (
        "_message_model",
        "_message_model_built",
        "definition",
        "duration_estimate_seconds",
        "handler",
        "is_async",
        "logger",
        "module",
        "read_body",
    )

    def __init__(
        self,
        definition: JobDefinition[Any],
        module: Module,
        logger: logging.Logger,
        duration_estimate_seconds: float | None = None,
    ) -> None:
        self.definition = definition
        self.module = module
        self.logger = logger
        self.duration_estimate_seconds = duration_estimate_seconds
        self.handler: Any = definition.handler
        self.is_async: bool = definition.is_async
        self._message_model: type[JobMessage] | None = None
        self._message_model_built = False
        # Until the job's first record, read_body builds the message model: building every
        # job's model at init would cost a cold start as much as a batch of jobs.
        self.read_body: Callable[[str], JobMessage] | None = self._read_first_body

    def __repr__(self) -> str:
        return (
            f"RegisteredJob(definition={self.definition!r}, module={self.module!r}, "
            f"logger={self.logger!r}, duration_estimate_seconds="
            f"{self.duration_estimate_seconds!r})"
        )

    @property
    def message_model(self) -> type[JobMessage] | None:
        """This job's message with its payload typed (a ``JobMessage`` subclass whose
        ``jobName`` must be this job's), built on first use; ``None`` when the schema's type is
        not known (a ready ``TypeAdapter``)."""
        if not self._message_model_built:
            self._message_model = _message_model(self.definition)
            self._message_model_built = True
        return self._message_model

    def _read_first_body(self, body: str) -> JobMessage:
        model = self.message_model
        if model is None:
            self.read_body = None
            raise LookupError(f"job {self.definition.name!r} has no one-pass message model")
        read: Callable[[str], JobMessage] = model.__pydantic_validator__.validate_json
        self.read_body = read
        return read(body)

    def record_duration(self, seconds: float) -> None:
        """Fold one handler run into the estimate: slow runs count at once, fast ones slowly."""
        estimate = self.duration_estimate_seconds
        if estimate is None or seconds >= estimate:
            self.duration_estimate_seconds = seconds
        else:
            self.duration_estimate_seconds = (
                _FAST_DURATION_DECAY * estimate + (1 - _FAST_DURATION_DECAY) * seconds
            )


class JobRegistry:
    """Every job of a module graph by name.

    Parameters:
        jobs: ``(definition, module)`` pairs, as ``Container.jobs`` gives them.

    Raises ``DuplicateJobError`` naming both modules when two definitions share a name.
    """

    def __init__(self, jobs: Iterable[tuple[JobDefinition[Any], Module]]) -> None:
        self._jobs: dict[str, RegisteredJob] = {}
        self.by_name: Mapping[str, RegisteredJob] = self._jobs
        """The jobs by name (read-only; an attribute, as the worker reads it once per record)."""
        self._adapters: list[tuple[str, MessageAdapter]] = []
        for definition, module in jobs:
            existing = self._jobs.get(definition.name)
            if existing is not None:
                if existing.definition is definition and existing.module is module:
                    continue
                raise DuplicateJobError(
                    f"job name {definition.name!r} is defined twice: by module "
                    f"{existing.module.name!r} and by module {module.name!r}; "
                    "job names must be unique across the application"
                )
            job_logger = logging.getLogger(f"glasswork.job.{definition.name}")
            self._jobs[definition.name] = RegisteredJob(definition, module, job_logger)
            if definition.message_adapter is not None:
                self._adapters.append((definition.name, definition.message_adapter))

    def get(self, job_name: str) -> RegisteredJob | None:
        """The job named ``job_name``, or ``None``."""
        return self._jobs.get(job_name)

    def require(self, job_name: str) -> RegisteredJob:
        """The job named ``job_name``; raises ``UnknownJobError`` listing known names."""
        job = self._jobs.get(job_name)
        if job is None:
            raise UnknownJobError(job_name, self._jobs)
        return job

    def adapt(self, body: Mapping[str, Any]) -> AdaptedMessage | None:
        """What the first registered ``MessageAdapter`` that recognises ``body`` makes of it.

        ``None`` when no job's adapter recognises it; an adapter that raises is logged and
        skipped, so one faulty adapter cannot turn the others' messages into poison.
        """
        for job_name, adapter in self._adapters:
            try:
                adapted = adapter(body)
            except Exception:
                logger.exception("the message adapter of job %r failed; skipping it", job_name)
                continue
            if adapted is not None:
                return adapted
        return None

    def names(self) -> list[str]:
        """Registered job names, sorted."""
        return sorted(self._jobs)

    def __iter__(self) -> Iterator[RegisteredJob]:
        return iter(self._jobs.values())

    def __len__(self) -> int:
        return len(self._jobs)


def _message_model(definition: JobDefinition[Any]) -> type[JobMessage] | None:
    """A ``JobMessage`` whose ``jobName`` is ``definition``'s and whose payload is its schema."""
    # TypeAdapter keeps the type it was made from; a user's own adapter may not say.
    payload_type = getattr(definition.schema, "_type", None)
    if payload_type is None:
        return None
    try:
        model: type[JobMessage] = create_model(
            f"{_class_name(definition.name)}Message",
            __base__=JobMessage,
            job_name=(Literal[definition.name], Field(alias="jobName")),  # type: ignore[arg-type]
            payload=(payload_type, ...),
        )
        # JobMessage defers its own build (a worker validates bodies with these subclasses,
        # not with it), and its subclasses inherit that: build this one now, once.
        model.model_rebuild()
    except Exception:
        logger.debug("job %r: no one-pass message model", definition.name, exc_info=True)
        return None
    return model


def _class_name(job_name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^0-9A-Za-z]+", job_name)) or "Job"
