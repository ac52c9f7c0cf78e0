"""The wire format: the one body every job message carries on SQS and in scheduler targets.

Keys are camelCase (``jobName``, ``payload``, ``jobId``, ``enqueuedAt``, ``metadata``) so Python
and TypeScript Glasswork workers can share a queue.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

__all__ = ["JOB_NAME_ATTRIBUTE", "JobMessage"]

JOB_NAME_ATTRIBUTE = "JobName"
"""The SQS message attribute that carries the job name, for filtering and inspection."""


class JobMessage(BaseModel):
    """The body of one job message.

    Parameters:
        job_name: the registered job's name (``jobName`` on the wire).
        payload: the job's payload, already validated and dumped to JSON-compatible values.
        job_id: a unique id for this enqueue (``jobId``); kept across retries.
        enqueued_at: when the job was enqueued, timezone-aware UTC (``enqueuedAt``).
        metadata: free-form string metadata (trace ids, tenant, ...).
    """

    # The camelCase wire keys come from the alias generator rather than ``Field(alias=...)``:
    # type checkers then read the constructor's keywords as the snake_case field names.
    # Built on first use (about a millisecond): a worker reads bodies with each job's
    # subclass (``worker/registry.py``), so only enqueueing and odd bodies need this one.
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        frozen=True,
        extra="ignore",
        defer_build=True,
    )

    job_name: str = Field(min_length=1)
    payload: Any = None
    job_id: str = Field(min_length=1)
    enqueued_at: datetime
    # A lambda, not ``dict``: pydantic reads a factory's signature, and the first builtin's
    # signature compiles the tokenizer's regexes, ~5 ms of a worker's cold start.
    metadata: dict[str, Any] = Field(default_factory=lambda: {})

    def to_json(self) -> str:
        """The message as it goes on the wire (camelCase keys, compact JSON)."""
        return self.model_dump_json(by_alias=True)

    @classmethod
    def from_json(cls, body: str | bytes) -> JobMessage:
        """Parse a wire body; raises ``pydantic.ValidationError`` when it is not a job message."""
        return cls.model_validate_json(body)
