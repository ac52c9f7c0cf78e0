"""The worker's SQS connection: a lazily made client and the queue URLs it has looked up.

Only failure paths (retry backoff, dead-lettering) and the poller talk to SQS; a batch in which
every job succeeds makes no AWS call at all.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import TYPE_CHECKING, Any

from glasswork.worker.events import queue_account_id_from_arn, queue_name_from_arn

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

__all__ = ["SQSConnection"]

logger = logging.getLogger(__name__)

_NO_DEAD_LETTER_QUEUE = ""


class SQSConnection:
    """An SQS client and warm caches of queue URLs, kept for the life of a Lambda container.

    When no client is given, one is made on first use with botocore's ``standard`` retry mode;
    boto3 reads ``AWS_ENDPOINT_URL``/``AWS_ENDPOINT_URL_SQS``, so pointing the worker at a local
    SQS is one environment variable.

    Parameters:
        client: a boto3 SQS client (default: made lazily for the record's region).
        dead_letter_queue_url: the DLQ to use for every source queue (default: discovered from
            each source queue's ``RedrivePolicy``).
    """

    def __init__(
        self, client: SQSClient | None = None, *, dead_letter_queue_url: str | None = None
    ) -> None:
        self._client = client
        self._configured_dead_letter_queue_url = dead_letter_queue_url
        self._lock = threading.Lock()
        # Warm caches: queue ARN → URL, and source queue ARN → DLQ URL ("" when it has none).
        self._queue_urls: dict[str, str] = {}
        self._dead_letter_queue_urls: dict[str, str] = {}

    def client(self, region: str | None = None) -> SQSClient:
        """The SQS client, made on first call (for ``region``, else the default region)."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = _make_client(region)
        return self._client

    def offer_client(self, client: SQSClient) -> None:
        """Use ``client`` unless a client was given or made already (the CLI's endpoint)."""
        with self._lock:
            if self._client is None:
                self._client = client

    def queue_url(self, queue_arn: str, region: str | None = None) -> str:
        """The URL of the queue ``queue_arn``, looked up once (``GetQueueUrl``)."""
        url = self._queue_urls.get(queue_arn)
        if url is None:
            response = self.client(region).get_queue_url(
                QueueName=queue_name_from_arn(queue_arn),
                QueueOwnerAWSAccountId=queue_account_id_from_arn(queue_arn),
            )
            url = response["QueueUrl"]
            self._queue_urls[queue_arn] = url
        return url

    def dead_letter_queue_url(self, source_queue_arn: str, region: str | None = None) -> str | None:
        """The DLQ of ``source_queue_arn``: the configured one, else its ``RedrivePolicy``'s.

        Looked up once per source queue; ``None`` when the queue has no redrive policy. Errors
        of the lookup propagate and are not cached.
        """
        if self._configured_dead_letter_queue_url is not None:
            return self._configured_dead_letter_queue_url
        cached = self._dead_letter_queue_urls.get(source_queue_arn)
        if cached is None:
            source_url = self.queue_url(source_queue_arn, region)
            # SQS leaves "Attributes" out when the queue has none of those asked for.
            attributes = (
                self.client(region)
                .get_queue_attributes(QueueUrl=source_url, AttributeNames=["RedrivePolicy"])
                .get("Attributes", {})
            )
            target_arn = _dead_letter_target_arn(attributes.get("RedrivePolicy"))
            cached = (
                _NO_DEAD_LETTER_QUEUE if target_arn is None else self.queue_url(target_arn, region)
            )
            if target_arn is None:
                logger.warning(
                    "queue %s has no RedrivePolicy and the worker has no dead_letter_queue_url: "
                    "messages that should be dead-lettered stay on the queue",
                    source_queue_arn,
                )
            self._dead_letter_queue_urls[source_queue_arn] = cached
        return cached or None


def _dead_letter_target_arn(redrive_policy: str | None) -> str | None:
    if not redrive_policy:
        return None
    target: Any = json.loads(redrive_policy).get("deadLetterTargetArn")
    return target if isinstance(target, str) and target else None


def _make_client(region: str | None) -> SQSClient:
    import boto3
    from botocore.config import Config as BotocoreConfig

    config = BotocoreConfig(retries={"mode": "standard"})
    client: SQSClient = boto3.client("sqs", region_name=region, config=config)
    return client
