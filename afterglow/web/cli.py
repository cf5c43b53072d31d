"""One way for every CLI verb to fail: a readable line on stderr and exit 2.

Domain code raises `afterglow.lib.errors.UserError` with a message meant for a
person; the base command turns it (and argparse's complaints) into that single
line. Verbs that read the journal subclass `afterglow.vault.verbs.Command`,
which unlocks it first.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser

from afterglow.lib.errors import UserError

EXIT_BAD_INPUT = 2


class OneLineParser(CommandParser):
    # Options whose value may itself start with '-' (`--answers -,1,2`): argparse would take the value
    # for an unknown option. A verb lists them with `takes_dash_values(parser, "--answers")`.
    dash_values: tuple[str, ...] = ()

    def parse_known_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:  # type: ignore[override]
        if args is not None and self.dash_values:
            args = glue_values(list(args), self.dash_values)
        return super().parse_known_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        if not self.called_from_command_line:
            raise CommandError(f"Error: {message}")  # call_command: let the caller see it
        prog = self.prog.replace("__main__.py", "afterglow").replace("manage.py", "afterglow")
        sys.stderr.write(f"{prog}: {message}\n")
        sys.exit(EXIT_BAD_INPUT)


class Command(BaseCommand):
    """Base for Afterglow's verbs: subclasses implement `handle` and raise UserError."""

    # Verbs that read or write the journal unlock it first (`afterglow.vault.verbs.Command`
    # does it in `prepare`); init/recover/serve opt out.
    needs_unlock = False

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Django builds a plain CommandParser and offers no hook for the class;
        # only `error` differs, so swapping the class is safe.
        parser.__class__ = OneLineParser
        return parser

    # Django's system checks import every URL and view module (and with them PyAV, NumPy,
    # Pillow): seconds and megabytes a journal verb never uses. `afterglow check` runs them.
    requires_system_checks: list[str] = []

    def prepare(self) -> None:
        """Runs before `handle`; a UserError raised here is reported like one from `handle`."""

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            self.prepare()
            return super().execute(*args, **options)
        except UserError as exc:
            if getattr(self, "_called_from_command_line", False):
                # Django would print "CommandError: …"; a person gets the message alone.
                sys.stderr.write(f"afterglow: {exc}\n")
                sys.exit(EXIT_BAD_INPUT)
            raise CommandError(str(exc), returncode=EXIT_BAD_INPUT) from exc


def number_between(low: float, high: float, *, whole: bool = True) -> Callable[[str], float]:
    """An argparse `type` that refuses, in words, what is not a number from `low` to `high`."""
    kind = "a whole number" if whole else "a number"

    def parse(text: str) -> float:
        try:
            value: float = int(text) if whole else float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {kind} (from {low:g} to {high:g})") from None
        if not low <= value <= high:  # NaN fails this too
            raise argparse.ArgumentTypeError(f"{text} is outside {low:g} to {high:g}")
        return value

    parse.__name__ = kind  # argparse names the type in some messages
    return parse


def takes_dash_values(parser: CommandParser, *options: str) -> None:
    parser.dash_values = options  # type: ignore[attr-defined]  # read once the class is OneLineParser


def glue_values(args: list[str], options: Sequence[str]) -> list[str]:
    """`--answers -,1` becomes `--answers=-,1`, which argparse reads as the option's value."""
    glued: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg in options:
            value = next(rest, None)
            glued.append(arg if value is None else f"{arg}={value}")
        else:
            glued.append(arg)
    return glued


def ask_line(prompt: str, limit: int = 1000) -> str:
    """One line typed (or piped) in answer to `prompt`; EOFError at the end of input.

    `input()` reads a piped line to its end, so `< /dev/zero` grew without limit; a line
    longer than `limit` is refused instead.
    """
    if sys.stdin.isatty():
        return input(prompt)  # the terminal bounds a typed line itself
    sys.stdout.write(prompt)
    sys.stdout.flush()
    line = sys.stdin.readline(limit + 1)
    if not line:
        raise EOFError
    if len(line) > limit and not line.endswith("\n"):
        raise UserError(f"an answer is at most {limit} characters; this input has a longer line")
    return line.rstrip("\r\n")


def fail(message: str) -> NoReturn:
    raise UserError(message)
