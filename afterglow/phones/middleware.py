"""The paired-phone gate for requests from the `serve --lan` HTTPS listener.

A phone that is not paired (never, or revoked) reaches the pairing page, `/help` and the static
files, nothing else. A paired phone goes on to the vault's rules like any browser: the unlock page
while the journal is locked, auto-lock included. Every cookie set over the LAN is Secure.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from afterglow.lib.net import LAN_ENVIRON_KEY
from afterglow.phones.devices import COOKIE, registry
from afterglow.web.middleware import Handler

UNPAIRED_OPEN = ("/pair", "/help", "/static/", "/healthz")


def from_lan(request: HttpRequest) -> bool:
    return bool(request.META.get(LAN_ENVIRON_KEY))


def device_gate_middleware(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        if not from_lan(request):
            return get_response(request)
        device = registry.find(request.COOKIES.get(COOKIE))
        if device is None and not request.path.startswith(UNPAIRED_OPEN):
            response = _to_pairing(request)
        else:
            if device is not None:
                registry.note_use(device)
            response = get_response(request)
        for morsel in response.cookies.values():
            morsel["secure"] = True
        return response

    return middleware


def _to_pairing(request: HttpRequest) -> HttpResponse:
    if request.method in ("GET", "HEAD"):
        return HttpResponseRedirect(reverse("pair"))
    response = render(request, "phones/not_paired.html", status=403)
    response["HX-Redirect"] = reverse("pair")
    return response
