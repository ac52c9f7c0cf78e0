"""``SNSWebhook``: the Lambda behind an HTTPS endpoint SNS delivers SES events to.

Every POST is verified (``SNSMessageVerifier``) before anything else happens:

- a bad message gets ``403`` and one log line naming the failed check; nothing reaches a job;
- a ``Notification`` is enqueued as the SES event job (fast ``200``; the worker handles it);
- a ``SubscriptionConfirmation`` for an allowed topic is confirmed with the
  ``ConfirmSubscription`` API (nothing is fetched from ``SubscribeURL``);
- an ``UnsubscribeConfirmation`` is logged.

Import it only in the webhook's Lambda: it loads ``cryptography``, the worker does not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from glasswork.jobs.definition import JobDefinition
from glasswork.jobs.service import JobService
from glasswork_email.events.models import SESEvent, ses_event_adapter
from glasswork_email.lambda_http import HTTPResponse, http_request_of, http_response
from glasswork_email.sns.message import SNSMessage, SNSVerificationError
from glasswork_email.sns.verifier import SNSMessageVerifier

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient

__all__ = ["ConfirmSubscriptionAPI", "SNSWebhook", "SubscriptionConfirmer"]

logger = logging.getLogger(__name__)

SubscriptionConfirmer = Callable[[SNSMessage], None]
"""Confirms a verified ``SubscriptionConfirmation``."""


class ConfirmSubscriptionAPI:
    """Confirms subscriptions with SNS's ``ConfirmSubscription`` API, in the topic's region.

    Parameters:
        client: a ready ``sns`` boto3 client (default: one per region, made on first use).
        endpoint_url: a different SNS endpoint, e.g. a local emulator (default: AWS's).
    """

    def __init__(self, client: SNSClient | None = None, *, endpoint_url: str | None = None) -> None:
        self._client = client
        self.endpoint_url = endpoint_url
        self._clients: dict[str, Any] = {}

    def __call__(self, message: SNSMessage) -> None:
        """Confirm the subscription ``message`` asks for (unsubscribing then needs AWS auth)."""
        client: Any = self._client or self._client_for(message.topic_arn.split(":")[3])
        client.confirm_subscription(
            TopicArn=message.topic_arn,
            Token=message.token or "",
            AuthenticateOnUnsubscribe="true",
        )

    def _client_for(self, region: str) -> Any:
        if region not in self._clients:
            import boto3

            self._clients[region] = boto3.client(
                "sns", region_name=region, endpoint_url=self.endpoint_url
            )
        return self._clients[region]


class SNSWebhook:
    """The Lambda handler (function URL, API Gateway HTTP API or REST API) for SNS deliveries.

    Example::

        handler = SNSWebhook(
            SNSMessageVerifier([os.environ["SES_EVENTS_TOPIC_ARN"]]),
            job_service=job_service,
            job=ses_events,
        )

    Parameters:
        verifier: checks every message (topic allow-list, timestamp, certificate, signature).
        job_service: enqueues verified notifications.
        job: the SES event job (``define_ses_event_handlers(...)``).
        confirm: confirms verified subscription requests (default: ``ConfirmSubscriptionAPI``).
    """

    def __init__(
        self,
        verifier: SNSMessageVerifier,
        *,
        job_service: JobService,
        job: JobDefinition[SESEvent],
        confirm: SubscriptionConfirmer | None = None,
    ) -> None:
        self.verifier = verifier
        self.job_service = job_service
        self.job = job
        self.confirm = confirm or ConfirmSubscriptionAPI()

    def __call__(self, event: Mapping[str, Any], context: Any = None) -> HTTPResponse:
        """Answer one HTTP request: 200 when handled, 403 when refused, 400/405 when not SNS."""
        try:
            request = http_request_of(event)
        except ValueError as error:
            logger.warning("refused SNS webhook request: %s", error)
            return http_response(400, "bad request")
        if request.method != "POST":
            return http_response(405, "SNS delivers with POST", headers={"Allow": "POST"})
        try:
            message = self.verifier.verify(request.body)
        except SNSVerificationError as refused:
            logger.warning(
                "refused SNS message: %s check failed: %s",
                refused.check,
                refused.detail,
                extra={"sns_check": refused.check},
            )
            return http_response(403, "forbidden")
        if message.type == "SubscriptionConfirmation":
            self.confirm(message)
            logger.info("confirmed the subscription to %s", message.topic_arn)
            return http_response(200, "subscribed")
        if message.type == "UnsubscribeConfirmation":
            logger.info("unsubscribed from %s (message %s)", message.topic_arn, message.message_id)
            return http_response(200, "ok")
        return self._enqueue(message)

    def _enqueue(self, message: SNSMessage) -> HTTPResponse:
        try:
            ses_event = ses_event_adapter.validate_json(message.message)
        except ValidationError as error:
            logger.error(
                "SNS message %s from %s is not an SES event: %s",
                message.message_id,
                message.topic_arn,
                error.errors(include_url=False)[:3],
            )
            return http_response(400, "not an SES event")
        result = self.job_service.enqueue(
            self.job, ses_event, metadata={"snsMessageId": message.message_id}
        )
        logger.info(
            "enqueued %s event of SNS message %s as job %s",
            ses_event.event_type,
            message.message_id,
            result.job_id,
        )
        return http_response(200, "ok")
