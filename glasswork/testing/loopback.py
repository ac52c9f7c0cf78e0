"""``LoopbackEndpoint``: what the test servers on loopback share (``LocalAWS``, ``FaultProxy``).

An ``endpoint_url``, boto3 clients pointed at it, and the ``with`` statement around ``start``
and ``stop``.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

__all__ = ["LOCAL_REGION", "LoopbackEndpoint"]

LOCAL_REGION = "us-east-1"
"""Region the local stand-ins are addressed with."""


class LoopbackEndpoint:
    """A server on ``127.0.0.1`` that speaks AWS's APIs; subclasses define ``start`` and
    ``stop``, and set ``endpoint_url`` once started."""

    endpoint_url: str = ""

    def start(self) -> Self:
        """Start serving; returns the started server."""
        raise NotImplementedError

    def stop(self) -> None:
        """Stop serving."""
        raise NotImplementedError

    def client(self, service: str, **kwargs: Any) -> Any:
        """A boto3 client for ``service`` pointed at this endpoint.

        Parameters:
            service: the boto3 service name (``"sqs"``, ``"sesv2"``, ...).
            kwargs: passed to ``boto3.client`` (default region ``us-east-1``; an
                ``endpoint_url`` given here wins).
        """
        import boto3

        kwargs.setdefault("region_name", LOCAL_REGION)
        kwargs.setdefault("endpoint_url", self.endpoint_url)
        return boto3.client(service, **kwargs)  # type: ignore[call-overload]

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
