"""``JobLoggerAdapter``: the logger behind ``ctx.logger``, whose lines name their job."""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from typing import Any

__all__ = ["JobLoggerAdapter"]


class JobLoggerAdapter(logging.LoggerAdapter[logging.Logger]):
    """A logger whose records carry ``job_name``, ``job_id`` and ``attempt`` (and any ``extra``
    given to the call)."""

    def process(
        self, msg: Any, kwargs: MutableMapping[str, Any]
    ) -> tuple[Any, MutableMapping[str, Any]]:
        """Merge the job's fields into the call's ``extra`` instead of replacing it."""
        given = kwargs.get("extra")
        kwargs["extra"] = {**(self.extra or {}), **given} if given else self.extra
        return msg, kwargs
