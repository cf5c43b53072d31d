from __future__ import annotations

from django.http import HttpRequest

from afterglow.web import display as looks


def display(request: HttpRequest) -> dict[str, object]:
    """The chosen look for `base.html`: which stylesheet media the dark theme gets, and the text size."""
    chosen = looks.load()
    media = {"system": "(prefers-color-scheme: dark)", "dark": "all", "light": ""}[chosen.theme]
    return {"display": chosen, "dark_media": media}
