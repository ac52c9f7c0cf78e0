"""Where users are kept (in memory: the example has no database)."""

from __future__ import annotations

import itertools
import threading

from pydantic import BaseModel


class User(BaseModel):
    """A registered user."""

    id: str
    email: str
    name: str
    locale: str | None = None
    """The language the user reads email in (BCP 47; ``None``: the shop's default)."""
    time_zone: str = "UTC"
    """The IANA time zone dates are shown in."""


class UserRepository:
    """An in-memory user table."""

    def __init__(self) -> None:
        self._users: dict[str, User] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(
        self, email: str, name: str, *, locale: str | None = None, time_zone: str = "UTC"
    ) -> User:
        """Store a new user and return it with its id."""
        with self._lock:
            user = User(
                id=f"user-{next(self._ids)}",
                email=email,
                name=name,
                locale=locale,
                time_zone=time_zone,
            )
            self._users[user.id] = user
            return user

    def get(self, user_id: str) -> User:
        """The user with this id; ``KeyError`` if there is none."""
        return self._users[user_id]
