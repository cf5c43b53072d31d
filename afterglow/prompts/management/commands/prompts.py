"""`afterglow prompts`: the installed prompt packs; `--check` validates dropped-in files."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from afterglow.lib.errors import UserError
from afterglow.prompts.library import Pack, PackError, load_library
from afterglow.vault.verbs import Command as BaseCommand


class Command(BaseCommand):
    help = "List the prompt packs in use, show one, or check pack files."
    # Packs are files beside the journal, not in it: checking one needs no passphrase.
    needs_unlock = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("pack", nargs="?", help="a pack id: print its prompts")
        parser.add_argument("--check", action="store_true", help="fail on any broken pack file, naming it")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            lib = load_library(strict=options["check"])
        except PackError as exc:
            raise UserError(str(exc)) from None
        if options["pack"]:
            pack = lib.get(options["pack"])
            if pack is None:
                raise UserError(f"no pack called {options['pack']!r}; `afterglow prompts` lists them")
            self._show(pack)
            return
        width = max(len(p.id) for p in lib.packs.values())
        for pack in sorted(lib.packs.values(), key=lambda p: p.id):
            count = f"{len(pack.prompts):>3} prompts"
            self.stdout.write(f"{pack.id:<{width}}  v{pack.version:<3} {pack.kind:<10} {count}  {pack.source}")
        for problem in lib.problems:
            self.stderr.write(f"skipped: {problem}")
        if options["check"]:
            self.stdout.write("All pack files are valid.")

    def _show(self, pack: Pack) -> None:
        for group in pack.groups:
            self.stdout.write(f"{group.title}")
            for prompt in group.prompts:
                mark = " (action)" if prompt.action else ""
                self.stdout.write(f"  {prompt.key}{mark}  {prompt.text}")
