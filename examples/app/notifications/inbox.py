"""An in-app notification inbox (in memory: the example has no database)."""

from __future__ import annotations

import threading
from collections import defaultdict


class Inbox:
    """Notifications per user id."""

    def __init__(self) -> None:
        self.messages: defaultdict[str, list[str]] = defaultdict(list)
        self._lock = threading.Lock()

    def notify(self, user_id: str, text: str) -> None:
        """Add a notification for a user."""
        with self._lock:
            self.messages[user_id].append(text)
