"""``glasswork-email i18n``: extract messages into a ``.pot``, create and update ``.po`` files.

    glasswork-email i18n extract [--templates SOURCE]
    glasswork-email i18n init LOCALE [--templates SOURCE]
    glasswork-email i18n update [LOCALE ...] [--templates SOURCE]

``update`` without a locale updates every catalog. Babel loads only when a command runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_i18n_command", "run_i18n_command"]


def add_i18n_command(commands: Any) -> None:
    """Add the ``i18n`` subcommand to the ``glasswork-email`` parser's subcommands.

    Parameters:
        commands: what ``ArgumentParser.add_subparsers`` returned.
    """
    i18n: argparse.ArgumentParser = commands.add_parser(
        "i18n", help="extract translatable messages, create and update per-locale catalogs"
    )
    actions = i18n.add_subparsers(dest="i18n_action", required=True)
    for name, help_text in (
        ("extract", "write locales/messages.pot from the templates"),
        ("init", "create locales/LOCALE.po for a new locale"),
        ("update", "merge new messages into the .po files (all, or the LOCALEs given)"),
    ):
        action = actions.add_parser(name, help=help_text)
        if name == "init":
            action.add_argument("locales", nargs=1, metavar="LOCALE", help="e.g. fr or fr-CA")
        elif name == "update":
            action.add_argument("locales", nargs="*", metavar="LOCALE")
        action.add_argument(
            "--templates",
            type=Path,
            default=Path("templates"),
            help="the templates folder (default: ./templates)",
        )


def run_i18n_command(arguments: argparse.Namespace) -> int:
    """Run a parsed ``glasswork-email i18n`` command; returns the exit status."""
    templates: Path = arguments.templates
    if not templates.is_dir():
        print(f"{templates}: not a folder of templates", file=sys.stderr)
        return 2
    try:
        from glasswork_email.compiler.config import load_config
        from glasswork_email.i18n.extract import init_catalog, update_catalog, write_template
        from glasswork_email.i18n.settings import LocaleSettings
        from glasswork_email.i18n.tags import InvalidLocaleError
    except ImportError as error:  # pragma: no cover - depends on the installation
        print(f"{error}: install glasswork[i18n] (Babel) to manage catalogs", file=sys.stderr)
        return 2
    try:
        if arguments.i18n_action == "extract":
            path = write_template(templates)
            print(f"wrote {path}")
        elif arguments.i18n_action == "init":
            path = init_catalog(templates, arguments.locales[0])
            print(f"created {path}: translate its messages, then run `glasswork-email compile`")
        else:
            config = load_config(templates)
            settings = LocaleSettings.from_table(config.raw, str(config.file))
            locales = arguments.locales or sorted(settings.catalog_paths(templates))
            for locale in locales:
                path, added, obsolete = update_catalog(templates, locale)
                print(f"updated {path}: {added} new, {obsolete} obsolete")
    except (FileExistsError, FileNotFoundError, InvalidLocaleError, ValueError) as error:
        print(error, file=sys.stderr)
        return 1
    return 0
