"""``glasswork schedules APP``: the periodic jobs' CloudFormation schedules."""

from __future__ import annotations

import argparse
import json
from typing import Any

from glasswork.cli.app import CommandError, load_app

__all__ = ["add_command"]


def add_command(commands: Any) -> None:
    """Add ``schedules`` to the ``glasswork`` subcommands."""
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


def _print_schedules(options: argparse.Namespace) -> int:
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
