from __future__ import annotations

from django.http import HttpRequest

from afterglow.web import display as looks


def display(request: HttpRequest) -> dict[str, object]:
    """The chosen look for `base.html`: which stylesheet media the dark theme gets, and the text size."""
    chosen = looks.load()
    # Screens only: a printed page (the safety plan) stays dark ink on white paper.
    media = {"system": "screen and (prefers-color-scheme: dark)", "dark": "screen", "light": ""}[chosen.theme]
    return {"display": chosen, "dark_media": media}
