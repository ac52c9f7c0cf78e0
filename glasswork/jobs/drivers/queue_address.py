"""Reading an SQS queue URL: its name, whether it is FIFO, and its ARN."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse

__all__ = ["QueueAddress", "partition_of_region"]

_SQS_HOST = re.compile(
    r"sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?|([a-z0-9-]+)\.queue\.amazonaws\.com"
)


def partition_of_region(region: str) -> str:
    """The AWS partition a region belongs to (``aws``, ``aws-cn``, ``aws-us-gov``, ...)."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if region.startswith("us-iso-"):
        return "aws-iso"
    if region.startswith("us-isob-"):
        return "aws-iso-b"
    if region.startswith("eu-isoe-"):
        return "aws-iso-e"
    return "aws"


@dataclass(frozen=True)
class QueueAddress:
    """An SQS queue as named by its URL (``https://sqs.REGION.amazonaws.com/ACCOUNT/NAME``).

    Parameters:
        url: the queue URL.
        region: the region to assume when the URL's host does not name one (local endpoints).
    """

    url: str
    region: str

    @property
    def _path_parts(self) -> list[str]:
        parts = [part for part in urlparse(self.url).path.split("/") if part]
        if len(parts) != 2:
            raise ValueError(f"not an SQS queue URL (expected .../ACCOUNT/NAME): {self.url!r}")
        return parts

    @property
    def name(self) -> str:
        """The queue's name, the last part of its URL."""
        return self._path_parts[1]

    @property
    def account_id(self) -> str:
        """The owning account's id."""
        return self._path_parts[0]

    @property
    def is_fifo(self) -> bool:
        """Whether it is a FIFO queue (its name ends with ``.fifo``)."""
        return self.name.endswith(".fifo")

    @property
    def queue_region(self) -> str:
        """The region in the URL's host, else the region given."""
        match = _SQS_HOST.fullmatch(urlparse(self.url).hostname or "")
        if match:
            return match.group(1) or match.group(3)
        return self.region

    @property
    def arn(self) -> str:
        """The queue's ARN, in the partition of its region."""
        region = self.queue_region
        return f"arn:{partition_of_region(region)}:sqs:{region}:{self.account_id}:{self.name}"
