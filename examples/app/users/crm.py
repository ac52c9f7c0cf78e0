"""A stand-in for an external CRM the app mirrors its users into."""

from __future__ import annotations

import threading


class CrmUnavailableError(ConnectionError):
    """The CRM did not answer."""


class CrmClient:
    """Records contacts; ``outages`` makes that many first calls fail, as a flaky API would.

    Parameters:
        outages: how many calls fail before the CRM answers (default 0).
    """

    def __init__(self, outages: int = 0) -> None:
        self.contacts: dict[str, str] = {}
        self._outages_left = outages
        self._lock = threading.Lock()

    def upsert_contact(self, email: str, name: str) -> None:
        """Create or update a contact; raises ``CrmUnavailableError`` during an outage."""
        with self._lock:
            if self._outages_left > 0:
                self._outages_left -= 1
                raise CrmUnavailableError("CRM timed out")
            self.contacts[email] = name
