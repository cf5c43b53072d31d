from __future__ import annotations

from django.http import HttpRequest

from afterglow.safety.crisis import region_for


def crisis(request: HttpRequest) -> dict[str, object]:
    """The crisis region for the header and footer of every page."""
    return {"crisis_region": region_for()}
