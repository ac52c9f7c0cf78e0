"""Exactly-once handlers: ``define_job(..., idempotent=True)``, guarded by the idempotency store.

SQS delivers at least once, and a retried job runs again. A job defined with ``idempotent=True``
(keyed by its job id) or ``idempotency_key=fn`` (keyed by ``fn(payload)``, so two enqueues of
the same work count as one) runs its handler inside a claim on the app's ``idempotency_store``
provider, with the states ``send_email`` uses:

1. ``claim`` the key. ``COMPLETED``: the handler ran; acknowledge without running it, reported
   as ``Ignored("duplicate")`` (outcome ``ignored``, reason ``duplicate``).
   ``IN_PROGRESS``: another attempt holds the lease; retry when it ends.
2. Run the handler.
3. ``complete`` the key; if the handler raised, ``release`` it so the retry runs at once.

As for email, one window remains: an attempt that stops (crash, timeout) after the handler's
side effect and before ``complete`` recorded it runs again once its lease ends.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from glasswork.idempotency.base import IdempotencyState, IdempotencyStore
from glasswork.jobs.errors import PermanentJobError, TransientJobError
from glasswork.jobs.ignored import Ignored

if TYPE_CHECKING:
    from glasswork.jobs.context import JobContext

__all__ = [
    "DUPLICATE_REASON",
    "IDEMPOTENCY_STORE_PROVIDER",
    "MIN_IN_PROGRESS_RETRY_SECONDS",
    "IdempotencyStoreMissingError",
    "guard_handler",
]

IDEMPOTENCY_STORE_PROVIDER = "idempotency_store"
"""The provider name of the app's idempotency store (``send_email`` uses it too)."""

DUPLICATE_REASON = "duplicate"
"""The ``Ignored`` reason of a delivery whose work was already done under its key."""

MIN_IN_PROGRESS_RETRY_SECONDS = 1.0
"""Shortest delay before retrying a job another attempt holds, in seconds."""


class IdempotencyStoreMissingError(PermanentJobError):
    """An idempotent job ran in an app that provides no ``idempotency_store``.

    Parameters:
        job_name: the job.
    """

    def __init__(self, job_name: str) -> None:
        super().__init__(
            f"job {job_name!r} is idempotent but the app provides no {IDEMPOTENCY_STORE_PROVIDER!r}"
            ": add Provider(provide='idempotency_store', use_value=DynamoDBIdempotencyStore(...))"
        )
        self.job_name = job_name


def _key(job_name: str, key: str) -> str:
    # Job names keep the keys of different jobs (and of send_email) apart in one table.
    return f"job:{job_name}:{key}"


def _claim(
    key_of: Callable[[Any], str] | None, lease_seconds: float, payload: Any, ctx: JobContext
) -> tuple[IdempotencyStore, str, str] | None:
    """Claim the job's key; ``None`` when it already ran. Raises to retry or dead-letter."""
    if IDEMPOTENCY_STORE_PROVIDER not in ctx.services:
        raise IdempotencyStoreMissingError(ctx.job_name)
    store: IdempotencyStore = ctx.services.get(IDEMPOTENCY_STORE_PROVIDER)
    key = _key(ctx.job_name, key_of(payload) if key_of is not None else ctx.job_id)
    claim = store.claim(key, lease_seconds=lease_seconds)
    if claim.state is IdempotencyState.COMPLETED:
        ctx.logger.info("job %s already ran under key %s; skipping", ctx.job_name, key)
        return None
    if claim.state is IdempotencyState.IN_PROGRESS:
        retry_after = max(claim.lease_remaining_seconds, MIN_IN_PROGRESS_RETRY_SECONDS)
        raise TransientJobError(
            f"job {ctx.job_name!r} key {key!r} is being run by another attempt; retrying in "
            f"{retry_after:.0f} s",
            retry_after=retry_after,
        )
    return store, key, claim.owner or ""


def _settle(store: IdempotencyStore, key: str, owner: str, ctx: JobContext, ok: bool) -> None:
    try:
        if ok:
            store.complete(key, owner)
        else:
            store.release(key, owner)
    except Exception:
        # Raising after a success would run the job again; after a failure the lease ends.
        ctx.logger.exception(
            "could not %s idempotency key %s", "complete" if ok else "release", key
        )


def guard_handler(
    handler: Callable[[Any, JobContext], Any],
    *,
    key: Callable[[Any], str] | None,
    lease_seconds: float,
) -> Callable[[Any, JobContext], Any]:
    """``handler`` run at most once per key (see the module docstring); async stays async, and
    what the handler returns (``None`` or ``Ignored``) is returned; a key already completed
    returns ``Ignored("duplicate")`` without running it.

    Parameters:
        handler: the job's handler.
        key: the key function of the payload (``None``: the job id).
        lease_seconds: how long a claim keeps other attempts away, in seconds; longer than
            the handler runs.
    """
    if inspect.iscoroutinefunction(handler):

        @functools.wraps(handler)
        async def guarded_async(payload: Any, ctx: JobContext) -> Any:
            claimed = _claim(key, lease_seconds, payload, ctx)
            if claimed is None:
                return Ignored(DUPLICATE_REASON)
            try:
                awaitable: Awaitable[Any] = handler(payload, ctx)
                returned = await awaitable
            except BaseException:
                _settle(*claimed, ctx, ok=False)
                raise
            _settle(*claimed, ctx, ok=True)
            return returned

        return guarded_async

    @functools.wraps(handler)
    def guarded(payload: Any, ctx: JobContext) -> Any:
        claimed = _claim(key, lease_seconds, payload, ctx)
        if claimed is None:
            return Ignored(DUPLICATE_REASON)
        try:
            returned = handler(payload, ctx)
        except BaseException:
            _settle(*claimed, ctx, ok=False)
            raise
        # An ``Ignored`` return is no failure: the key is completed and the value passed on.
        _settle(*claimed, ctx, ok=True)
        return returned

    return guarded
