from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def help_page(request: HttpRequest) -> HttpResponse:
    # Never behind the unlock: someone in crisis must not need a passphrase.
    return render(request, "safety/help.html")
