"""What every template may ask about the mode (a context processor)."""

from __future__ import annotations

from django.http import HttpRequest

from afterglow import modes
from afterglow.preferences.store import for_request
from afterglow.web import display as looks


def mode(request: HttpRequest) -> dict[str, object]:
    """`has_vault`: whether this mode has the vault's pages (privacy, passphrase, recovery key,
    backups). A clinic's database is the clinic's: those pages answer 404 there, so no link to them is shown.
    `clinic_mode`: the journal is kept on the clinic's server, not this computer (what pages say about where)."""
    mode = modes.current()
    return {"has_vault": mode.unlocks_in_process, "clinic_mode": mode.clinic}


def display(request: HttpRequest) -> dict[str, object]:
    """The person's chosen look for `base.html`: which stylesheet media the dark theme gets, and the text size."""
    chosen = looks.load(for_request(request))
    # Screens only: a printed page (the safety plan) stays dark ink on white paper.
    media = {"system": "screen and (prefers-color-scheme: dark)", "dark": "screen", "light": ""}[chosen.theme]
    return {"display": chosen, "dark_media": media}
