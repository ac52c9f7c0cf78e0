"""``glasswork worker APP``: a long-polling SQS worker for containers and local development."""

from __future__ import annotations

import argparse
import gc
import logging
import os
from typing import Any

from glasswork.cli.app import DEFAULT_APP_ATTRIBUTES, CommandError, load_app, one_line

__all__ = ["QUEUE_ENVIRONMENT_VARIABLE", "add_command"]

QUEUE_ENVIRONMENT_VARIABLE = "GLASSWORK_WORKER_QUEUE"
"""Queue name or URL the worker polls when ``--queue`` is not given."""

logger = logging.getLogger(__name__)


def add_command(commands: Any) -> None:
    """Add ``worker`` to the ``glasswork`` subcommands."""
    worker = commands.add_parser(
        "worker",
        help="run a long-polling SQS worker (containers, local development)",
        description=(
            "Long-poll an SQS queue and run its jobs with the Lambda worker's code. SIGTERM or "
            "SIGINT stops receiving and lets the jobs in flight finish; a second signal stops "
            "at once."
        ),
    )
    worker.add_argument(
        "app",
        metavar="APP",
        help=(
            "package.module:attribute naming the root module or a bootstrap_worker() worker; "
            f"without ':attribute', tries {', '.join(DEFAULT_APP_ATTRIBUTES)}"
        ),
    )
    worker.add_argument(
        "--queue",
        help=(
            "queue to poll: a URL, a logical queue name of the app's JobService driver, or an "
            f"SQS queue name (default: ${QUEUE_ENVIRONMENT_VARIABLE}, else the queue all "
            "registered jobs share)"
        ),
    )
    worker.add_argument(
        "--region",
        default=None,
        help="AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, the AWS profile, the app's)",
    )
    worker.add_argument(
        "--concurrency", type=int, default=None, help="records run at once (default 10)"
    )
    worker.add_argument(
        "--wait-seconds",
        type=int,
        default=20,
        help="long-poll wait per receive, 0-20 s (default 20); bounds shutdown latency",
    )
    worker.add_argument(
        "--endpoint-url",
        default=None,
        help="SQS endpoint, e.g. a local emulator (default: $AWS_ENDPOINT_URL_SQS or AWS)",
    )
    worker.add_argument(
        "--log-level", default="INFO", help="logging level (default INFO)", type=str.upper
    )
    worker.set_defaults(run=_run_worker)


def _run_worker(options: argparse.Namespace) -> int:
    from glasswork.cli.aws import AppQueues, aws_region, sqs_client
    from glasswork.modules import Module
    from glasswork.worker.bootstrap import Worker
    from glasswork.worker.poller import SQSPoller

    logging.basicConfig(
        level=options.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    for noisy in ("botocore", "boto3", "urllib3"):
        # Their INFO lines ("Found credentials in environment variables") are not ours to show.
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
    if not 0 <= options.wait_seconds <= 20:
        raise CommandError(f"--wait-seconds must be 0-20, got {options.wait_seconds}")
    app = load_app(options.app)
    if isinstance(app, Worker):
        worker = app
        if options.concurrency is not None and options.concurrency != worker.concurrency:
            raise CommandError("--concurrency cannot change a worker made by bootstrap_worker")
    elif isinstance(app, Module):
        if options.concurrency is not None and options.concurrency < 1:
            raise CommandError(f"--concurrency must be >= 1, got {options.concurrency}")
        worker = Worker(app, concurrency=options.concurrency or 10)
    else:
        raise CommandError(
            f"APP {options.app!r} is a {type(app).__name__}, not a module from define_module "
            "or a worker from bootstrap_worker"
        )
    app_queues = AppQueues(worker.container)
    region = aws_region(options.region, app_queues.region)
    client = sqs_client(region, options.endpoint_url)
    worker.connection.offer_client(client)
    queue_url = app_queues.url_of(client, _queue_name(options.queue, worker))
    try:
        poller = SQSPoller(
            worker, queue_url, sqs_client=client, wait_time_seconds=options.wait_seconds
        )
    except Exception as error:
        raise CommandError(f"cannot poll {queue_url}: {one_line(error)}") from None
    try:
        # Looked up once now, so a queue without a dead-letter queue warns once, at start.
        worker.connection.dead_letter_queue_url(poller.queue_arn, region)
    except Exception as error:
        logger.warning("could not read the redrive policy of %s: %s", queue_url, one_line(error))
    if isinstance(app, Module):
        # One worker per process, built once, as in Lambda: what the init built lives as long
        # as the poller, so full collections need not scan it again (a worker made by
        # bootstrap_worker follows its freeze_after_init).
        gc.freeze()
    try:
        poller.run()
    finally:
        worker.close()
    return 0


def _queue_name(given: str | None, worker: Any) -> str:
    queue = given or os.environ.get(QUEUE_ENVIRONMENT_VARIABLE)
    if queue:
        return queue
    names = sorted({job.definition.queue for job in worker.registry})
    if len(names) != 1:
        raise CommandError(
            f"the jobs use queues {names}: say which to poll with --queue NAME|URL "
            f"(or ${QUEUE_ENVIRONMENT_VARIABLE})"
        )
    return str(names[0])
