"""Records without ``jobName`` are offered to the message adapters of registered jobs."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import TypeAdapter
from worker_support import Queues, deliver

from glasswork.jobs.context import JobContext
from glasswork.jobs.definition import JobDefinition
from glasswork.jobs.message_adapter import AdaptedMessage
from glasswork.modules import define_module
from glasswork.worker import bootstrap_worker


def test_an_adapter_turns_a_foreign_body_into_its_job_and_a_faulty_one_is_skipped(
    queues: Queues,
) -> None:
    seen: list[tuple[Any, str]] = []

    def handle(payload: dict[str, Any], ctx: JobContext) -> None:
        seen.append((payload, ctx.job_id))

    def broken(body: Mapping[str, Any]) -> AdaptedMessage | None:
        raise RuntimeError("this adapter is broken")

    def pings(body: Mapping[str, Any]) -> AdaptedMessage | None:
        if body.get("kind") != "ping":
            return None
        return AdaptedMessage("ping", {"n": body["n"]}, job_id=f"ping-{body['n']}")

    schema: TypeAdapter[dict[str, Any]] = TypeAdapter(dict[str, Any])
    jobs = [
        JobDefinition("broken", handle, schema, message_adapter=broken),
        JobDefinition("ping", handle, schema, message_adapter=pings),
    ]
    worker = bootstrap_worker(define_module("app", jobs=jobs), sqs_client=queues.sqs)

    queues.send(json.dumps({"kind": "ping", "n": 7}))
    queues.send(json.dumps({"kind": "other"}))
    response, _records = deliver(worker, queues)

    assert response == {"batchItemFailures": []}
    assert seen == [({"n": 7}, "ping-7")]
    [dead] = queues.dead_letters()
    assert json.loads(dead["Body"]) == {"kind": "other"}, "unclaimed: still poison"
