"""Background jobs of the users module."""

from __future__ import annotations

from pydantic import BaseModel

from examples.app.users.crm import CrmClient, CrmUnavailableError
from glasswork import JobContext, RetryPolicy, TransientJobError, define_job


class SyncUserToCrm(BaseModel):
    """Payload: the user to mirror into the CRM (jobs carry their data: the worker runs
    elsewhere, and the user may have changed by the time it runs)."""

    user_id: str
    email: str
    name: str


def sync_user_to_crm(payload: SyncUserToCrm, ctx: JobContext) -> None:
    """Copy a user into the CRM; a CRM outage is retried after a short pause."""
    try:
        ctx.services.get(CrmClient).upsert_contact(payload.email, payload.name)
    except CrmUnavailableError as error:
        raise TransientJobError(str(error), retry_after=1) from error
    ctx.logger.info("synced user %s to the CRM", payload.user_id)


sync_user_to_crm_job = define_job(
    "sync-user-to-crm",
    sync_user_to_crm,
    schema=SyncUserToCrm,
    retry=RetryPolicy(max_attempts=5, min_backoff_seconds=1, max_backoff_seconds=60),
)
