from __future__ import annotations

from django.http import HttpRequest

from afterglow.preferences.store import for_request
from afterglow.safety.crisis import region_for
from afterglow.safety.preferences import chosen_region


def crisis(request: HttpRequest) -> dict[str, object]:
    """The crisis region for the header and footer of every page: the person's own choice."""
    return {"crisis_region": region_for(chosen_region(for_request(request)))}
