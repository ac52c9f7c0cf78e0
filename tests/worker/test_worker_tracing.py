"""Tracing: the enqueuer's W3C trace context travels in the message and becomes the parent of
the handler's span (a link, inside a batch's span); nothing of OpenTelemetry is imported when
the application does not use it. Each case runs in a fresh interpreter, because OpenTelemetry's
tracer provider can be set only once per process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

TRACED = """
import json
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

exporter = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(exporter))
trace.set_tracer_provider(provider)

from glasswork import JobService, MockQueueDriver, bootstrap_worker, define_job, define_module
from glasswork.testing.events import make_sqs_record

def work(payload, ctx):
    with trace.get_tracer("app").start_as_current_span("inside the handler"):
        if payload.get("fail"):
            raise ValueError("no")

job = define_job("work", work)
driver = MockQueueDriver()
jobs = JobService(driver)
tracer = trace.get_tracer("producer")
with tracer.start_as_current_span("enqueue") as producer:
    jobs.enqueue(job, {})
    jobs.enqueue(job, {"fail": True})
untraced = JobService(MockQueueDriver())
untraced.enqueue(job, {})
worker = bootstrap_worker(define_module("app", jobs=[job]))
records = [make_sqs_record(item.message) for item in driver.enqueued]
records += [make_sqs_record(item.message) for item in untraced.driver.enqueued]
for record in records:
    worker.process_records([record])
with tracer.start_as_current_span("batch") as batch:
    worker.process_records(records[:1])

def describe(span):
    return {
        "name": span.name,
        "trace": span.context.trace_id,
        "id": span.context.span_id,
        "parent": span.parent.span_id if span.parent else None,
        "links": [link.context.span_id for link in span.links],
        "kind": span.kind.name,
        "status": span.status.status_code.name,
        "attributes": dict(span.attributes),
    }

print(json.dumps({
    "metadata": driver.enqueued[0].message.metadata,
    "producer": {"trace": producer.get_span_context().trace_id,
                 "id": producer.get_span_context().span_id},
    "batch": batch.get_span_context().span_id,
    "spans": [describe(span) for span in exporter.get_finished_spans()],
}))
"""

UNTRACED = """
import json, sys
from glasswork import JobService, MockQueueDriver, bootstrap_worker, define_job, define_module
from glasswork.testing.events import make_sqs_record
job = define_job("work", lambda payload, ctx: None)
driver = MockQueueDriver()
JobService(driver).enqueue(job, {})
worker = bootstrap_worker(define_module("app", jobs=[job]))
worker.process_records([make_sqs_record(driver.enqueued[0].message)])
print(json.dumps({
    "otel": sorted(m for m in sys.modules if m.startswith("opentelemetry")),
    "metadata": driver.enqueued[0].message.metadata,
}))
"""


def _run(script: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_handler_span_is_a_child_of_the_enqueuers_span_or_links_to_it_in_a_batch() -> None:
    result = _run(TRACED)
    producer = result["producer"]
    assert isinstance(producer, dict)
    metadata = result["metadata"]
    assert isinstance(metadata, dict)
    assert (
        metadata["traceparent"].startswith("00-")
        and f"{producer['trace']:032x}" in metadata["traceparent"]
    )
    spans = result["spans"]
    assert isinstance(spans, list)
    handler_spans = [span for span in spans if span["name"] == "process work"]
    ok, failed, untraced, in_batch = handler_spans
    for span in (ok, failed):
        assert span["trace"] == producer["trace"] and span["parent"] == producer["id"]
        assert span["kind"] == "CONSUMER" and span["links"] == []
        assert span["attributes"]["glasswork.job.name"] == "work"
        assert span["attributes"]["messaging.system"] == "aws_sqs"
    assert ok["status"] == "UNSET" and failed["status"] == "ERROR"
    assert untraced["parent"] is None and untraced["trace"] != producer["trace"]
    assert in_batch["parent"] == result["batch"] and in_batch["links"] == [producer["id"]]
    inner = [span for span in spans if span["name"] == "inside the handler"]
    assert inner[0]["parent"] == ok["id"]  # the handler's own spans nest under its span


def test_nothing_of_opentelemetry_is_imported_when_the_app_does_not_use_it() -> None:
    result = _run(UNTRACED)
    assert result == {"otel": [], "metadata": {}}
