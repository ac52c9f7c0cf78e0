"""What every command that talks to SQS needs: the region, a client, and queue URLs.

The region comes from ``--region``, else ``AWS_REGION``, else ``AWS_DEFAULT_REGION``, else the
AWS config file's profile, else the application's own ``SQSQueueDriver``. A queue is a URL, a
logical queue name the application's ``JobService`` driver maps to a URL, or an SQS queue name.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from glasswork.cli.app import CommandError, one_line

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

    from glasswork.modules import Container

__all__ = ["AppQueues", "aws_region", "queue_arn", "sqs_client"]


class AppQueues:
    """The queues an application's ``JobService`` driver knows: logical name → URL.

    Parameters:
        container: the application's container (``None``: no application given).
    """

    def __init__(self, container: Container | None) -> None:
        self.urls: dict[str, str] = {}
        self.region: str | None = None
        self.problem: str | None = None
        if container is None:
            return
        from glasswork.jobs.service import JobService

        try:
            service = container.get(JobService)
        except Exception as error:
            self.problem = f"the app's JobService could not be built ({one_line(error)})"
            return
        queues = getattr(service.driver, "queues", None)
        if isinstance(queues, dict):
            self.urls = {str(k): str(v) for k, v in queues.items()}
        region = getattr(service.driver, "region", None)
        self.region = region if isinstance(region, str) and region else None

    def url_of(self, client: SQSClient, queue: str) -> str:
        """The URL of ``queue``: as given, from the app's driver, else looked up by name."""
        if queue.startswith(("https://", "http://")):
            return queue
        if queue in self.urls:
            return self.urls[queue]
        from botocore.exceptions import ClientError

        try:
            url: str = client.get_queue_url(QueueName=queue)["QueueUrl"]
        except ClientError as error:
            known = ", ".join(repr(name) for name in sorted(self.urls)) or "none"
            why = f"; {self.problem}" if self.problem else ""
            raise CommandError(
                f"there is no SQS queue named {queue!r} in this account/region, and the app's "
                f"queue driver knows {known}{why} ({error.response.get('Error', {}).get('Code')})"
            ) from None
        return url


def aws_region(given: str | None, fallback: str | None = None) -> str:
    """The region to use (see the module doc); a ``CommandError`` when none is set."""
    region = given or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if not region:
        import boto3

        region = boto3.session.Session().region_name or fallback
    if not region:
        raise CommandError(
            "no AWS region: pass --region, or set AWS_REGION (or AWS_DEFAULT_REGION)"
        )
    return region


def sqs_client(region: str, endpoint_url: str | None = None) -> SQSClient:
    """An SQS client for ``region`` with botocore's ``standard`` retry mode."""
    import boto3
    from botocore.config import Config as BotocoreConfig

    client: SQSClient = boto3.client(
        "sqs",
        region_name=region,
        endpoint_url=endpoint_url,
        config=BotocoreConfig(retries={"mode": "standard"}),
    )
    return client


def queue_arn(client: SQSClient, queue_url: str) -> str:
    """The ARN of ``queue_url``; a ``CommandError`` when SQS cannot answer."""
    return str(queue_attributes(client, queue_url, "QueueArn")["QueueArn"])


def queue_attributes(client: SQSClient, queue_url: str, *names: str) -> dict[str, str]:
    """Attributes of ``queue_url`` (absent ones are absent); a ``CommandError`` on failure."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        response: Any = client.get_queue_attributes(
            QueueUrl=queue_url,
            AttributeNames=list(names),  # type: ignore[arg-type]
        )
    except (ClientError, BotoCoreError) as error:
        raise CommandError(f"cannot read queue {queue_url}: {one_line(error)}") from None
    return dict(response.get("Attributes", {}))
