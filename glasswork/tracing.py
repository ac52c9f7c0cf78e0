"""Trace context across the queue: W3C ``traceparent`` from the enqueuer to the job's handler.

With OpenTelemetry in use (its API imported by the application and a tracer provider set),
``JobService`` puts the current trace context into the message's ``metadata`` (``traceparent``,
``tracestate``), and the worker runs each handler in a ``CONSUMER`` span whose parent is that
context — or, when the handler already runs inside a span (a batch, e.g. Lambda's own
instrumentation), a span of the batch's trace that links to it. Nothing of OpenTelemetry is
imported when the application does not import it: every check here is a ``sys.modules`` lookup.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

__all__ = [
    "TRACEPARENT_KEY",
    "TRACESTATE_KEY",
    "HandlerSpan",
    "Tracing",
    "opentelemetry_in_use",
    "with_trace_context",
]

TRACEPARENT_KEY = "traceparent"
"""The metadata key of the W3C ``traceparent`` of the enqueuing side."""
TRACESTATE_KEY = "tracestate"
"""The metadata key of the W3C ``tracestate`` of the enqueuing side."""

TRACER_NAME = "glasswork"


def opentelemetry_in_use() -> bool:
    """Whether the application imported OpenTelemetry and set a tracer provider."""
    if "opentelemetry.trace" not in sys.modules:
        return False
    from opentelemetry import trace

    return not isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider)


def with_trace_context(metadata: Mapping[str, Any] | None) -> dict[str, Any]:
    """``metadata`` plus the current trace context, when OpenTelemetry is in use and tracing."""
    carried = dict(metadata or {})
    if "opentelemetry.trace" in sys.modules and TRACEPARENT_KEY not in carried:
        from opentelemetry import propagate

        carrier: dict[str, str] = {}
        propagate.inject(carrier)
        for key in (TRACEPARENT_KEY, TRACESTATE_KEY):
            if key in carrier:
                carried[key] = carrier[key]
    return carried


class HandlerSpan:
    """The span around one handler run; ``end`` it with the handler's error, if any."""

    def __init__(self, span: Any, token: object) -> None:
        self._span = span
        self._token = token

    def end(self, error: BaseException | None) -> None:
        """Record ``error`` (when given), leave the span's context and end it."""
        from opentelemetry import context
        from opentelemetry.trace import Status, StatusCode

        if error is not None:
            self._span.record_exception(error)
            self._span.set_status(Status(StatusCode.ERROR, f"{type(error).__name__}: {error}"))
        context.detach(self._token)  # type: ignore[arg-type]
        self._span.end()


class Tracing:
    """Starts handler spans under the enqueuer's trace context (OpenTelemetry must be in use).

    Parameters:
        tracer_name: the instrumentation scope of the spans (default ``"glasswork"``).
    """

    def __init__(self, tracer_name: str = TRACER_NAME) -> None:
        from opentelemetry import trace

        self._tracer = trace.get_tracer(tracer_name)

    def start(
        self,
        job_name: str,
        job_id: str,
        attempt_number: int,
        message_id: str | None,
        metadata: Mapping[str, Any] | None,
    ) -> HandlerSpan:
        """Start and enter the span of one handler run."""
        from opentelemetry import context, propagate, trace

        carrier = {
            key: str(value)
            for key, value in (metadata or {}).items()
            if key in (TRACEPARENT_KEY, TRACESTATE_KEY)
        }
        producer = trace.get_current_span(propagate.extract(carrier)).get_span_context()
        current = trace.get_current_span().get_span_context()
        attributes: dict[str, str | int] = {
            "messaging.system": "aws_sqs",
            "messaging.operation.type": "process",
            "glasswork.job.name": job_name,
            "glasswork.job.id": job_id,
            "glasswork.job.attempt": attempt_number,
        }
        if message_id is not None:
            attributes["messaging.message.id"] = message_id
        if current.is_valid and producer.is_valid:
            # Inside a batch's span: stay in its trace, link to the enqueuer's.
            span = self._tracer.start_span(
                f"process {job_name}",
                kind=trace.SpanKind.CONSUMER,
                attributes=attributes,
                links=[trace.Link(producer)],
            )
        else:
            parent = propagate.extract(carrier) if producer.is_valid else None
            span = self._tracer.start_span(
                f"process {job_name}",
                context=parent,
                kind=trace.SpanKind.CONSUMER,
                attributes=attributes,
            )
        token = context.attach(trace.set_span_in_context(span))
        return HandlerSpan(span, token)
