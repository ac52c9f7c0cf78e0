"""The ``glasswork`` command.

``glasswork schedules APP`` prints the CloudFormation resources of the periodic jobs defined in
code (``AWS::Scheduler::Schedule``, as JSON, which YAML templates accept too), so the deployment
template can be checked against the code.

``glasswork worker APP [--queue NAME|URL]`` long-polls an SQS queue and runs the application's
jobs with the same code as the Lambda worker, until SIGTERM or SIGINT.

``APP`` is ``package.module:attribute`` or just ``package.module``. The attribute is the root
module (from ``define_module``) or a worker made by ``bootstrap_worker`` (its hooks and settings
are then used). Without ``:attribute``, ``handler``, ``worker``, ``AppModule`` and
``app_module`` are tried in that order: a worker made by ``bootstrap_worker`` comes first, so
its hooks and settings are not bypassed. The current directory is importable, as with
``python -m``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["DEFAULT_APP_ATTRIBUTES", "CommandError", "load_app", "main"]

DEFAULT_APP_ATTRIBUTES = ("handler", "worker", "AppModule", "app_module")
"""Attributes looked up, in order, when ``APP`` names only a Python module."""

QUEUE_ENVIRONMENT_VARIABLE = "GLASSWORK_WORKER_QUEUE"
"""Queue name or URL the worker polls when ``--queue`` is not given."""

logger = logging.getLogger(__name__)


class CommandError(Exception):
    """A command cannot run; the message says what to change."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``glasswork`` command; returns the process exit status."""
    parser = _parser()
    options = parser.parse_args(argv)
    if not hasattr(options, "run"):
        parser.print_help()
        return 2
    try:
        status: int = options.run(options)
    except CommandError as error:
        print(f"glasswork: error: {error}", file=sys.stderr)
        return 1
    return status


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="glasswork", description="Glasswork background jobs: tools for development and ops."
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
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
            "SQS queue name or URL to poll (default: $GLASSWORK_WORKER_QUEUE, else the queue "
            "name all registered jobs share)"
        ),
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
    schedules = commands.add_parser(
        "schedules",
        help="print the CloudFormation schedules of the periodic jobs defined in code",
        description=(
            "Print a CloudFormation Resources fragment with one AWS::Scheduler::Schedule per "
            "periodic job of APP, each putting a job message on the job queue."
        ),
    )
    schedules.add_argument(
        "app", metavar="APP", help="package.module[:attribute] of the root module"
    )
    schedules.add_argument(
        "--queue-resource",
        default="JobsQueue",
        help="logical id of the job queue in your template (default JobsQueue)",
    )
    schedules.add_argument(
        "--role-resource",
        default="SchedulerRole",
        help="logical id of the role EventBridge Scheduler assumes (default SchedulerRole)",
    )
    schedules.set_defaults(run=_print_schedules)
    return parser


def _print_schedules(options: argparse.Namespace) -> int:
    import json

    from glasswork.modules import Module
    from glasswork.schedules import schedule_resources
    from glasswork.worker.bootstrap import Worker

    app = load_app(options.app)
    module = app.module if isinstance(app, Worker) else app
    if not isinstance(module, Module):
        raise CommandError(f"APP {options.app!r} is a {type(app).__name__}, not a root module")
    resources = schedule_resources(
        module,
        queue_arn={"Fn::GetAtt": [options.queue_resource, "Arn"]},
        role_arn={"Fn::GetAtt": [options.role_resource, "Arn"]},
    )
    print(json.dumps({"Resources": resources}, indent=2))
    return 0


def load_app(spec: str) -> Any:
    """Import ``package.module[:attribute]`` and return the attribute (see the module doc)."""
    module_name, _, attribute = spec.partition(":")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise CommandError(f"cannot import {module_name!r} (from APP {spec!r}): {error}") from None
    names = [attribute] if attribute else list(DEFAULT_APP_ATTRIBUTES)
    for name in names:
        target: Any = module
        try:
            for part in name.split("."):
                target = getattr(target, part)
        except AttributeError:
            continue
        return target
    raise CommandError(
        f"module {module_name!r} has no attribute "
        + (f"{attribute!r}" if attribute else f"named any of {', '.join(names)}")
        + "; pass APP as package.module:attribute"
    )


def _run_worker(options: argparse.Namespace) -> int:
    import boto3
    from botocore.config import Config as BotocoreConfig

    from glasswork.modules import Module
    from glasswork.worker.bootstrap import Worker
    from glasswork.worker.poller import SQSPoller

    logging.basicConfig(
        level=options.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    app = load_app(options.app)
    client = boto3.client(
        "sqs",
        endpoint_url=options.endpoint_url,
        config=BotocoreConfig(retries={"mode": "standard"}),
    )
    if isinstance(app, Worker):
        worker = app
        worker.connection.offer_client(client)
        if options.concurrency is not None and options.concurrency != worker.concurrency:
            raise CommandError("--concurrency cannot change a worker made by bootstrap_worker")
    elif isinstance(app, Module):
        worker = Worker(app, concurrency=options.concurrency or 10, sqs_client=client)
    else:
        raise CommandError(
            f"APP {options.app!r} is a {type(app).__name__}, not a module from define_module "
            "or a worker from bootstrap_worker"
        )
    if not 0 <= options.wait_seconds <= 20:
        raise CommandError(f"--wait-seconds must be 0-20, got {options.wait_seconds}")
    queue_url = _queue_url(client, options.queue, worker)
    poller = SQSPoller(worker, queue_url, sqs_client=client, wait_time_seconds=options.wait_seconds)
    try:
        poller.run()
    finally:
        worker.close()
    return 0


def _queue_url(client: Any, given: str | None, worker: Any) -> str:
    queue = given or os.environ.get(QUEUE_ENVIRONMENT_VARIABLE)
    if not queue:
        names = sorted({job.definition.queue for job in worker.registry})
        if len(names) != 1:
            raise CommandError(
                f"the jobs use queues {names}: say which to poll with --queue NAME|URL "
                f"(or ${QUEUE_ENVIRONMENT_VARIABLE})"
            )
        queue = names[0]
    if queue.startswith(("https://", "http://")):
        return queue
    try:
        url: str = client.get_queue_url(QueueName=queue)["QueueUrl"]
    except client.exceptions.QueueDoesNotExist:
        raise CommandError(
            f"there is no SQS queue named {queue!r} in this account/region"
        ) from None
    return url
