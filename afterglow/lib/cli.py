"""One way for every CLI verb to fail: a readable line on stderr and exit 2.

Domain code raises `UserError` with a message meant for a person; the base
command turns it (and argparse's complaints) into that single line.
"""

from __future__ import annotations

import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser

EXIT_BAD_INPUT = 2


class UserError(Exception):
    """Bad input or a state the person can fix; the message is shown as is."""


class OneLineParser(CommandParser):
    def error(self, message: str) -> NoReturn:
        if not self.called_from_command_line:
            raise CommandError(f"Error: {message}")  # call_command: let the caller see it
        prog = self.prog.replace("__main__.py", "afterglow").replace("manage.py", "afterglow")
        sys.stderr.write(f"{prog}: {message}\n")
        sys.exit(EXIT_BAD_INPUT)


class Command(BaseCommand):
    """Base for Afterglow's verbs: subclasses implement `handle` and raise UserError."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Django builds a plain CommandParser and offers no hook for the class;
        # only `error` differs, so swapping the class is safe.
        parser.__class__ = OneLineParser
        return parser

    # Verbs that read or write the journal unlock it first; init/recover/serve opt out.
    needs_unlock = True
    # Django's system checks import every URL and view module (and with them PyAV, NumPy,
    # Pillow): seconds and megabytes a journal verb never uses. `afterglow check` runs them.
    requires_system_checks: list[str] = []

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            if self.needs_unlock:
                from afterglow.vault.session import unlock_for_cli

                unlock_for_cli()
            return super().execute(*args, **options)
        except UserError as exc:
            if getattr(self, "_called_from_command_line", False):
                # Django would print "CommandError: …"; a person gets the message alone.
                sys.stderr.write(f"afterglow: {exc}\n")
                sys.exit(EXIT_BAD_INPUT)
            raise CommandError(str(exc), returncode=EXIT_BAD_INPUT) from exc


def fail(message: str) -> NoReturn:
    raise UserError(message)
