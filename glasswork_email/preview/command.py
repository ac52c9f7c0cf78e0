"""``glasswork-email preview``: its arguments, and starting the server.

Only ``argparse`` is imported up front, so the other ``glasswork-email`` commands do not pay for
Starlette, uvicorn or boto3; they load when the preview runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "add_preview_command", "run_preview"]

DEFAULT_HOST = "127.0.0.1"
"""The preview binds to loopback only: nothing on the network can reach it."""
DEFAULT_PORT = 4100
"""The preview's default TCP port."""


def add_preview_command(commands: Any, default_source: Path) -> None:
    """Add the ``preview`` sub-command to the ``glasswork-email`` parser.

    Parameters:
        commands: the parser's sub-parsers (``add_subparsers()``'s result).
        default_source: the templates folder used when none is given.
    """
    preview: argparse.ArgumentParser = commands.add_parser(
        "preview", help="a local web page that shows every email with its fixtures, live"
    )
    preview.add_argument(
        "source",
        nargs="?",
        type=Path,
        default=default_source,
        help="the templates folder (default: ./templates)",
    )
    preview.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT})"
    )
    preview.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help="address to bind (default 127.0.0.1; anything else exposes your templates)",
    )
    preview.add_argument(
        "--transport",
        choices=("ses", "smtp"),
        help='what "send a test" sends through (default: sending is off)',
    )
    preview.add_argument("--sender", help='the From address of test emails ("Shop <a@b.c>")')
    preview.add_argument("--region", help="SES: the AWS region (default: boto3's)")
    preview.add_argument("--endpoint-url", help="SES: another endpoint, e.g. a local emulator")
    preview.add_argument("--smtp-host", default="localhost", help="SMTP: host (default localhost)")
    preview.add_argument("--smtp-port", type=int, default=1025, help="SMTP: port (default 1025)")
    preview.add_argument(
        "--smtp-starttls", action="store_true", help="SMTP: upgrade with STARTTLS first"
    )


def run_preview(arguments: argparse.Namespace) -> int:
    """Serve the preview until interrupted; returns the exit status.

    Parameters:
        arguments: the parsed ``preview`` arguments.
    """
    try:
        from glasswork_email.preview.server import PreviewServer
        from glasswork_email.preview.test_send import transport_from_arguments
    except ImportError as error:  # the extra is not installed
        print(
            f"glasswork-email preview needs the preview extra ({error.name} is missing): "
            "pip install 'glasswork[preview]'",
            file=sys.stderr,
        )
        return 2
    if arguments.transport and not arguments.sender:
        print("--transport needs --sender: the From address of test emails", file=sys.stderr)
        return 2
    server = PreviewServer(
        arguments.source,
        host=arguments.host,
        port=arguments.port,
        transport=transport_from_arguments(arguments),
        sender=arguments.sender,
    )
    print(f"previewing {arguments.source} at {server.url} (Ctrl-C to stop)")
    server.run()
    return 0
