"""SNS over HTTPS: verified messages (signature v1/v2, certificate hosts, topics, replay
window) and the webhook Lambda that enqueues them. Needs the ``webhooks`` extra
(``cryptography``); never imported by the worker."""

from glasswork_email.sns.certificates import CertificateCache, check_sns_url, is_sns_host
from glasswork_email.sns.message import SNSMessage, SNSVerificationError
from glasswork_email.sns.signature import string_to_sign, verify_signature
from glasswork_email.sns.verifier import SNSMessageVerifier
from glasswork_email.sns.webhook import ConfirmSubscriptionAPI, SNSWebhook

__all__ = [
    "CertificateCache",
    "ConfirmSubscriptionAPI",
    "SNSMessage",
    "SNSMessageVerifier",
    "SNSVerificationError",
    "SNSWebhook",
    "check_sns_url",
    "is_sns_host",
    "string_to_sign",
    "verify_signature",
]
