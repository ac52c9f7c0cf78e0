"""``SESAccountSyncedStore``: a suppression store that keeps SES's account-level list in step.

SES keeps its own suppression list per account (``PutSuppressedDestination``,
``GetSuppressedDestination``). Our store stays the one read before each send (it knows topics,
and a suppressed email then costs no SES call); this wrapper mirrors every all-mail bounce or
complaint into SES's list, removes it there with ours, and imports SES's verdict on one address
(``import_from_ses``) or on every address SES added (``import_all_from_ses``,
``ListSuppressedDestinations``). Topic-scoped entries (unsubscribes) have no place in SES's
list and stay ours. SES matches addresses with their exact case; ours are normalised first
(the domain lower-cased), and that is the form sent to SES.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from botocore.exceptions import BotoCoreError, ClientError

from glasswork_email.errors import SuppressionStoreError
from glasswork_email.suppression.base import (
    Suppression,
    SuppressionReason,
    SuppressionStore,
    normalise_address,
)

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client

__all__ = ["SES_ACCOUNT_LIST_CAUSE", "SESAccountSyncedStore"]

SES_ACCOUNT_LIST_CAUSE = "SES account-level suppression list"
"""The ``cause`` of an entry imported from SES's list."""

_SES_REASONS: dict[SuppressionReason, Literal["BOUNCE", "COMPLAINT"]] = {
    SuppressionReason.BOUNCE: "BOUNCE",
    SuppressionReason.COMPLAINT: "COMPLAINT",
}


class SESAccountSyncedStore:
    """Wraps a ``SuppressionStore``; all-mail bounces and complaints go to SES's list too.

    Parameters:
        store: the store checked before every send.
        client: a ``sesv2`` boto3 client (default: one made on first use for ``region``).
        region: the SES region (default: boto3's configured region).
    """

    def __init__(
        self,
        store: SuppressionStore,
        *,
        client: SESV2Client | None = None,
        region: str | None = None,
    ) -> None:
        self.store = store
        self._client = client
        self.region = region

    def __repr__(self) -> str:
        return f"SESAccountSyncedStore({self.store!r})"

    def warm_up(self) -> None:
        """Make the SES client, and the wrapped store's client, now (the worker's init)."""
        self.client  # noqa: B018
        warm_up = getattr(self.store, "warm_up", None)
        if callable(warm_up):
            warm_up()

    @property
    def client(self) -> SESV2Client:
        """The ``sesv2`` client, made on first use."""
        if self._client is None:
            import boto3

            self._client = boto3.client("sesv2", region_name=self.region)
        return self._client

    def find(self, addresses: Sequence[str], *, topic: str | None = None) -> dict[str, Suppression]:
        """As the wrapped store (no SES call on the sending path)."""
        return self.store.find(addresses, topic=topic)

    def add(self, suppression: Suppression) -> None:
        """Record ``suppression``; an all-mail bounce or complaint also in SES's list."""
        self.store.add(suppression)
        reason = _SES_REASONS.get(suppression.reason)
        if suppression.topic is None and reason is not None:
            self._call(
                "add to",
                lambda: self.client.put_suppressed_destination(
                    EmailAddress=suppression.address,
                    Reason=reason,
                ),
            )

    def remove(self, address: str, *, topic: str | None = None) -> None:
        """Delete the entry; an all-mail one also from SES's list (if it is there)."""
        self.store.remove(address, topic=topic)
        if topic is not None:
            return
        try:
            self.client.delete_suppressed_destination(EmailAddress=normalise_address(address))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "NotFoundException":
                raise _error("remove from", error) from error
        except BotoCoreError as error:
            raise _error("remove from", error) from error

    def count_transient_bounce(self, address: str, *, window_seconds: float) -> int:
        """As the wrapped store."""
        return self.store.count_transient_bounce(address, window_seconds=window_seconds)

    def import_from_ses(self, address: str) -> Suppression | None:
        """Copy SES's entry for ``address`` into the store; ``None`` when SES has none."""
        try:
            response: Any = self.client.get_suppressed_destination(
                EmailAddress=normalise_address(address)
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "NotFoundException":
                return None
            raise _error("read", error) from error
        except BotoCoreError as error:
            raise _error("read", error) from error
        suppression = _from_ses(response["SuppressedDestination"])
        self.store.add(suppression)
        return suppression

    def import_all_from_ses(self, *, since: datetime | None = None) -> list[Suppression]:
        """Copy every entry of SES's list (updated at or after ``since``, default all) into
        the store, one ``ListSuppressedDestinations`` page of up to 1000 at a time; returns
        what was imported."""
        imported: list[Suppression] = []
        options: dict[str, Any] = {} if since is None else {"StartDate": since}
        while True:
            try:
                page: Any = self.client.list_suppressed_destinations(**options)
            except (ClientError, BotoCoreError) as error:
                raise _error("list", error) from error
            for destination in page.get("SuppressedDestinationSummaries", []):
                suppression = _from_ses(destination)
                self.store.add(suppression)
                imported.append(suppression)
            token = page.get("NextToken")
            if not token:
                return imported
            options["NextToken"] = token

    def _call(self, action: str, call: Any) -> None:
        try:
            call()
        except (ClientError, BotoCoreError) as error:
            raise _error(action, error) from error


def _from_ses(destination: Any) -> Suppression:
    """Our entry for SES's ``SuppressedDestination`` (or its summary)."""
    when = destination.get("LastUpdateTime")
    return Suppression(
        destination["EmailAddress"],
        SuppressionReason.COMPLAINT
        if destination.get("Reason") == "COMPLAINT"
        else SuppressionReason.BOUNCE,
        suppressed_at=when if isinstance(when, datetime) else datetime.now(UTC),
        cause=SES_ACCOUNT_LIST_CAUSE,
    )


def _error(action: str, error: Exception) -> SuppressionStoreError:
    return SuppressionStoreError(
        f"could not {action} SES's account-level suppression list: {error}"
    )
