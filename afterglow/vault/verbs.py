"""The base of every CLI verb that reads or writes the journal: it unlocks it first."""

from __future__ import annotations

from afterglow.web import cli


class Command(cli.Command):
    needs_unlock = True

    def prepare(self) -> None:
        if self.needs_unlock:
            from afterglow.vault.session import unlock_for_cli  # the key machinery only when a verb runs

            unlock_for_cli()
