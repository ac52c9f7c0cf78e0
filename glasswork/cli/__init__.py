"""The ``glasswork`` command.

- ``glasswork worker APP [--queue NAME|URL] [--region R]`` long-polls an SQS queue and runs the
  application's jobs with the same code as the Lambda worker, until SIGTERM or SIGINT.
- ``glasswork dlq list|show|redrive QUEUE`` reads and redrives the dead letters of a queue.
- ``glasswork schedules APP`` prints the CloudFormation resources of the periodic jobs defined in
  code (``AWS::Scheduler::Schedule``, as JSON, which YAML templates accept too).

``APP`` is ``package.module:attribute`` or just ``package.module`` (see ``load_app``). A
configuration error (no region, an unknown queue, an APP that does not import) is one line on
standard error and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from glasswork.cli.app import DEFAULT_APP_ATTRIBUTES, CommandError, load_app

__all__ = [
    "CONFIGURATION_ERROR_STATUS",
    "DEFAULT_APP_ATTRIBUTES",
    "CommandError",
    "load_app",
    "main",
]

CONFIGURATION_ERROR_STATUS = 2
"""The exit status of a command that cannot run as configured."""


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
        return CONFIGURATION_ERROR_STATUS
    except KeyboardInterrupt:
        print("glasswork: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`| head`): nothing left to say to it, and the
        # interpreter's final flush must not fail either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return status


def _parser() -> argparse.ArgumentParser:
    from glasswork.cli import dlq, schedules, worker

    parser = argparse.ArgumentParser(
        prog="glasswork", description="Glasswork background jobs: tools for development and ops."
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    worker.add_command(commands)
    dlq.add_command(commands)
    schedules.add_command(commands)
    return parser
