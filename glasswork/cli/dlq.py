"""``glasswork dlq list|show|redrive QUEUE``: the dead letters of a queue, for operators.

``QUEUE`` is the source queue (a URL, a logical name of the app's driver with ``--app``, or an
SQS queue name); its dead-letter queue is the target of its ``RedrivePolicy``, or ``--dlq``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

from glasswork.cli.app import CommandError, load_app

__all__ = ["add_command", "parse_duration_seconds"]

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd]?)$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def add_command(commands: Any) -> None:
    """Add ``dlq list``, ``dlq show`` and ``dlq redrive`` to the ``glasswork`` subcommands."""
    dlq = commands.add_parser(
        "dlq",
        help="list, show and redrive the dead letters of a queue",
        description="Read and redrive what the worker dead-lettered, with its reasons.",
    )
    actions = dlq.add_subparsers(title="actions", metavar="ACTION")
    listing = actions.add_parser("list", help="list dead letters with reason, job and age")
    _common(listing)
    _filters(listing)
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.add_argument(
        "--limit", type=int, default=1000, help="read at most this many (default 1000)"
    )
    listing.set_defaults(run=_list)
    show = actions.add_parser("show", help="show one dead letter with its payload")
    _common(show)
    show.add_argument("message_id", metavar="MESSAGE_ID", help="its id on the dead-letter queue")
    show.set_defaults(run=_show)
    redrive = actions.add_parser(
        "redrive", help="move dead letters (all, or those matching the filters) back to QUEUE"
    )
    _common(redrive)
    _filters(redrive)
    redrive.add_argument(
        "--dry-run", action="store_true", help="list what would move, move nothing"
    )
    redrive.add_argument(
        "--one-by-one",
        action="store_true",
        help="never use SQS's message move task, even for an unfiltered redrive",
    )
    redrive.set_defaults(run=_redrive)
    dlq.set_defaults(run=lambda options: _help(dlq))


def parse_duration_seconds(text: str) -> float:
    """``90``, ``90s``, ``15m``, ``2h``, ``3d`` → seconds."""
    match = _DURATION.match(text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 90s, 15m, 2h, 3d)")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("queue", metavar="QUEUE", help="the source queue: URL, logical or SQS name")
    parser.add_argument("--app", default=None, help="APP whose queue driver names QUEUE")
    parser.add_argument("--dlq", default=None, help="the dead-letter queue URL (default: QUEUE's)")
    parser.add_argument("--region", default=None, help="AWS region (default: $AWS_REGION, ...)")
    parser.add_argument("--endpoint-url", default=None, help="SQS endpoint (e.g. an emulator)")


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reason", help="only this DeadLetterReason, e.g. retries_exhausted")
    parser.add_argument("--error-type", help="only this error class, e.g. PermanentJobError")
    parser.add_argument("--job", help="only this job name")
    parser.add_argument("--min-attempts", type=int, help="only with at least N attempts")
    parser.add_argument("--max-attempts", type=int, help="only with at most N attempts")
    parser.add_argument(
        "--older-than",
        type=parse_duration_seconds,
        help="only dead-lettered at least this long ago",
    )
    parser.add_argument(
        "--newer-than", type=parse_duration_seconds, help="only dead-lettered at most this long ago"
    )


def _queues(options: argparse.Namespace) -> tuple[Any, str, str]:
    """(client, source URL, dead-letter URL)."""
    from glasswork.cli.aws import AppQueues, aws_region, queue_attributes, sqs_client

    container = None
    if options.app:
        from glasswork.modules import Container, Module
        from glasswork.worker.bootstrap import Worker

        app = load_app(options.app)
        if isinstance(app, Worker):
            container = app.container
        elif isinstance(app, Module):
            container = Container(app)
        else:
            raise CommandError(f"APP {options.app!r} is a {type(app).__name__}, not a module")
    app_queues = AppQueues(container)
    client = sqs_client(aws_region(options.region, app_queues.region), options.endpoint_url)
    source = app_queues.url_of(client, options.queue)
    if options.dlq:
        return client, source, app_queues.url_of(client, options.dlq)
    policy = queue_attributes(client, source, "RedrivePolicy").get("RedrivePolicy")
    target = json.loads(policy).get("deadLetterTargetArn") if policy else None
    if not isinstance(target, str) or not target:
        raise CommandError(f"queue {source} has no RedrivePolicy: give its DLQ with --dlq URL")
    from glasswork.worker.events import queue_account_id_from_arn, queue_name_from_arn

    url: str = client.get_queue_url(
        QueueName=queue_name_from_arn(target),
        QueueOwnerAWSAccountId=queue_account_id_from_arn(target),
    )["QueueUrl"]
    return client, source, url


def _filter_of(options: argparse.Namespace) -> Any:
    from glasswork.dlq import DeadLetterFilter

    return DeadLetterFilter(
        reason=options.reason,
        error_type=options.error_type,
        job_name=options.job,
        min_attempts=options.min_attempts,
        max_attempts=options.max_attempts,
        older_than_seconds=options.older_than,
        newer_than_seconds=options.newer_than,
    )


def _row(message: Any) -> str:
    attempts = "-" if message.attempts is None else str(message.attempts)
    return (
        f"{message.message_id:36}  {message.job_name or '-':24}  {message.reason or '-':18}  "
        f"{message.error_type or '-':22}  {attempts:>8}  {_age(message.age_seconds):>6}"
    )


def _age(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f}{unit}"
    return f"{seconds:.0f}s"


def _list(options: argparse.Namespace) -> int:
    from glasswork.dlq import received_dead_letters

    client, _, dead = _queues(options)
    only = _filter_of(options)
    with received_dead_letters(client, dead, limit=options.limit) as messages:
        chosen = [message for message in messages if only.matches(message)]
    if options.json:
        for message in chosen:
            print(message.model_dump_json(exclude={"receipt_handle", "body", "attributes"}))
        return 0
    print(
        f"{'MESSAGE ID':36}  {'JOB':24}  {'REASON':18}  {'ERROR TYPE':22}  {'ATTEMPTS':>8}  "
        f"{'AGE':>6}"
    )
    for message in chosen:
        print(_row(message))
    print(f"{len(chosen)} of {len(messages)} dead letters on {dead}", file=sys.stderr)
    return 0


def _show(options: argparse.Namespace) -> int:
    from glasswork.dlq import received_dead_letters

    client, _, dead = _queues(options)
    with received_dead_letters(client, dead, limit=100_000) as messages:
        found = [m for m in messages if options.message_id in (m.message_id, m.original_message_id)]
    if not found:
        raise CommandError(f"no dead letter {options.message_id!r} on {dead}")
    message = found[0]
    shown: dict[str, Any] = message.model_dump(exclude={"receipt_handle", "body"})
    try:
        shown["body"] = json.loads(message.body)
    except ValueError:
        shown["body"] = message.body
    print(json.dumps(shown, indent=2, default=str))
    return 0


def _redrive(options: argparse.Namespace) -> int:
    from glasswork.dlq import redrive_dead_letters

    client, source, dead = _queues(options)

    def progress(moved: int, read: int) -> None:
        verb = "would move" if options.dry_run else "moved"
        print(f"redrive: {read} read, {verb} {moved}", file=sys.stderr)

    report = redrive_dead_letters(
        client,
        dead,
        source,
        only=_filter_of(options),
        dry_run=options.dry_run,
        use_move_task=not options.one_by_one,
        progress=None if options.dry_run else progress,
        selected=(lambda message: print(_row(message))) if options.dry_run else None,
    )
    if report.move_task_handle is not None:
        print(
            f"SQS is moving about {report.moved} messages from {dead} to {source} "
            f"(task {report.move_task_handle})"
        )
    elif report.dry_run:
        print(
            f"dry run: {report.matched} of {report.looked_at} dead letters would move to {source}"
        )
    else:
        print(f"moved {report.moved} of {report.matched} matching dead letters to {source}")
    return 0 if report.moved == report.matched or report.dry_run else 1
