"""What every template may ask about the mode (a context processor)."""

from __future__ import annotations

from django.http import HttpRequest

from afterglow import modes


def mode(request: HttpRequest) -> dict[str, object]:
    """`has_vault`: whether this mode has the vault's pages (privacy, passphrase, recovery key,
    backups). A clinic's database is the clinic's: those pages answer 404 there, so no link to them is shown.
    `clinic_mode`: the journal is kept on the clinic's server, not this computer (what pages say about where)."""
    mode = modes.current()
    return {"has_vault": mode.unlocks_in_process, "clinic_mode": mode.clinic}
