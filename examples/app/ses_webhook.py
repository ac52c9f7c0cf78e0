"""The SNS webhook Lambda's entry point: ``examples.app.ses_webhook.handler``.

Used when the template's ``SesEventsRoute`` is ``sns-https``: SNS POSTs SES's events here;
each is verified and enqueued as the ``ses-event`` job for the worker.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from examples.app.email.ses_events import ses_events
from glasswork import JobService, SQSQueueDriver
from glasswork_email.lambda_http import HTTPResponse
from glasswork_email.sns import SNSMessageVerifier, SNSWebhook


@functools.cache
def webhook() -> SNSWebhook:
    """The handler, built on the first request (a warm Lambda keeps it and its certificates)."""
    jobs = JobService(SQSQueueDriver({"default": os.environ["JOB_QUEUE_URL"]}))
    verifier = SNSMessageVerifier([os.environ["SES_EVENTS_TOPIC_ARN"]])
    return SNSWebhook(verifier, job_service=jobs, job=ses_events)


def handler(event: dict[str, Any], context: Any) -> HTTPResponse:
    """Answer one SNS delivery."""
    return webhook()(event, context)
