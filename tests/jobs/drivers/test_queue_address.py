"""Specification of reading queue URLs: names, FIFO and ARNs in every partition."""

from __future__ import annotations

import pytest

from glasswork.jobs.drivers.queue_address import QueueAddress


@pytest.mark.parametrize(
    ("url", "arn"),
    [
        (
            "https://sqs.eu-west-1.amazonaws.com/111122223333/jobs",
            "arn:aws:sqs:eu-west-1:111122223333:jobs",
        ),
        (
            "https://sqs.cn-north-1.amazonaws.com.cn/111122223333/jobs",
            "arn:aws-cn:sqs:cn-north-1:111122223333:jobs",
        ),
        (
            "https://sqs.us-gov-west-1.amazonaws.com/111122223333/jobs",
            "arn:aws-us-gov:sqs:us-gov-west-1:111122223333:jobs",
        ),
        (
            "https://ap-south-1.queue.amazonaws.com/111122223333/jobs",
            "arn:aws:sqs:ap-south-1:111122223333:jobs",
        ),
        (
            "http://127.0.0.1:5000/123456789012/jobs.fifo",
            "arn:aws:sqs:us-east-1:123456789012:jobs.fifo",
        ),
    ],
)
def test_arn_is_derived_with_the_right_partition(url: str, arn: str) -> None:
    assert QueueAddress(url, "us-east-1").arn == arn


def test_fifo_is_read_from_the_name() -> None:
    assert QueueAddress("https://sqs.eu-west-1.amazonaws.com/1/a.fifo", "x").is_fifo
    assert not QueueAddress("https://sqs.eu-west-1.amazonaws.com/1/a", "x").is_fifo


def test_a_url_without_account_and_name_is_refused() -> None:
    with pytest.raises(ValueError, match="ACCOUNT/NAME"):
        _ = QueueAddress("https://sqs.eu-west-1.amazonaws.com/jobs", "x").name
