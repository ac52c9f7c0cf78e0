"""The unsubscribe Lambda's entry point: ``examples.app.unsubscribe.handler``.

The signing key is read once from SSM Parameter Store (``UNSUBSCRIBE_KEY_PARAMETER``, a
SecureString); links are checked against it and unsubscribes written to the suppression table.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from glasswork_email.lambda_http import HTTPResponse
from glasswork_email.suppression import DynamoDBSuppressionStore
from glasswork_email.unsubscribe import UnsubscribeLinks
from glasswork_email.unsubscribe_handler import UnsubscribeHandler


@functools.cache
def unsubscribe() -> UnsubscribeHandler:
    """The handler, built on the first request."""
    import boto3

    parameter = boto3.client("ssm").get_parameter(
        Name=os.environ["UNSUBSCRIBE_KEY_PARAMETER"], WithDecryption=True
    )
    links = UnsubscribeLinks(
        parameter["Parameter"]["Value"],
        os.environ.get("UNSUBSCRIBE_URL", "https://shop.example.com/unsubscribe"),
    )
    store = DynamoDBSuppressionStore(os.environ["SUPPRESSION_TABLE"])
    return UnsubscribeHandler(links, store, brand="Glasswork Shop")


def handler(event: dict[str, Any], context: Any) -> HTTPResponse:
    """Answer one unsubscribe request."""
    return unsubscribe()(event, context)
