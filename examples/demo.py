"""The end-to-end demo on an embedded local AWS: typed jobs enqueued to SQS and read back.

Run with ``bash scripts/demo.sh``. No AWS account is needed: moto's server runs on loopback.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from pydantic import BaseModel

from glasswork import JobContext, JobService, SchedulerConfig, SQSQueueDriver, define_job
from glasswork.testing import LocalAWS


class Welcome(BaseModel):
    """Payload of the demo job."""

    user_id: str
    name: str


def send_welcome(payload: Welcome, ctx: JobContext) -> None:
    """Handler of the demo job."""
    ctx.logger.info("welcoming %s", payload.name)


welcome = define_job("send-welcome", send_welcome, schema=Welcome)


def main() -> int:
    """Run the demo; returns the process exit code."""
    with LocalAWS() as aws:
        sqs: Any = aws.client("sqs")
        url = sqs.create_queue(QueueName="demo-jobs")["QueueUrl"]
        driver = SQSQueueDriver(
            {"default": url},
            endpoint_url=aws.endpoint_url,
            scheduler=SchedulerConfig(role_arn="arn:aws:iam::123456789012:role/scheduler"),
        )
        jobs = JobService(driver)
        names = ["Ada", "Grace", "Linus", "Barbara"]
        results = jobs.enqueue_batch(
            [(welcome, Welcome(user_id=str(i), name=name)) for i, name in enumerate(names)]
        )
        reminder = jobs.enqueue_in(welcome, Welcome(user_id="9", name="Later"), "3h")
        print(f"enqueued {sum(r.ok for r in results)} jobs in one batch request")
        print(f"scheduled a reminder in 3 hours: {reminder.schedule_name}")
        received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        for message in received:
            body = json.loads(message["Body"])
            print(f"  queue has {body['jobName']} {body['payload']}")
        return 0 if len(received) == len(names) else 1


if __name__ == "__main__":
    sys.exit(main())
