"""Settings → Phones (on this computer), the pairing page (on the phone), and the installable app."""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from afterglow import modes
from afterglow.phones import ca, lan, qr
from afterglow.phones.devices import COOKIE, COOKIE_DAYS, PairingRefused, clean_name, pairing, registry
from afterglow.phones.middleware import from_lan
from afterglow.vault import keyring

ROOT_NAME = "afterglow-root.crt"


def _computer_only(request: HttpRequest) -> HttpResponse | None:
    """Phones are paired and revoked on the computer: a paired phone cannot pair others or undo a revoke.
    A clinic server has no phones of its own (its patients reach it through the clinic's HTTPS)."""
    if modes.current().clinic:
        raise Http404("Phones are paired with a journal on a person's own computer.")
    if from_lan(request):
        return render(request, "phones/computer_only.html", status=403)
    return None


def _root() -> x509.Certificate | None:
    key = keyring.current_key()
    if key is not None:
        return ca.ensure_authority(key, lan.journal_label()).certificate
    return ca.root_certificate()


@require_GET
def phones_settings(request: HttpRequest) -> HttpResponse:
    if refused := _computer_only(request):
        return refused
    here = lan.current
    code = pairing.live()
    link = f"{here.url.rstrip('/')}{reverse('pair')}?code={code.value}" if here and code else ""
    root = _root()
    context = {
        "lan": here,
        "code": code,
        "code_seconds": pairing.seconds_left(),
        "link": link,
        "qr_svg": qr.svg(link) if link else "",
        "devices": registry.all(),
        "fingerprint": ca.fingerprint(root) if root else "",
    }
    return render(request, "phones/settings.html", context)


@require_POST
def new_code(request: HttpRequest) -> HttpResponse:
    if refused := _computer_only(request):
        return refused
    if lan.current is not None:
        pairing.new_code()
    return HttpResponseRedirect(reverse("phones_settings") + "#pair")


@require_POST
def end_code(request: HttpRequest) -> HttpResponse:
    if refused := _computer_only(request):
        return refused
    pairing.end()
    return redirect("phones_settings")


@require_POST
def revoke(request: HttpRequest, device_id: str) -> HttpResponse:
    if refused := _computer_only(request):
        return refused
    registry.revoke(device_id)
    return redirect("phones_settings")


@require_GET
def root_certificate(request: HttpRequest) -> HttpResponse:
    """The CA's certificate (public by nature) for a phone to install. Never its key."""
    root = _root()
    if root is None:
        return render(request, "phones/no_root.html", status=404)
    der = root.public_bytes(serialization.Encoding.DER)
    response = HttpResponse(der, content_type="application/x-x509-ca-cert")
    response["Content-Disposition"] = f'attachment; filename="{ROOT_NAME}"'
    return response


@require_http_methods(["GET", "POST"])
def pair(request: HttpRequest) -> HttpResponse:
    if not from_lan(request):
        return render(request, "phones/pair_here.html")
    if registry.find(request.COOKIES.get(COOKIE)) is not None:
        return redirect("home")
    typed_code = request.POST.get("code", "") if request.method == "POST" else request.GET.get("code", "")
    context = {"code": typed_code[:40], "name": request.POST.get("name", "")[:80], "error": ""}
    if request.method == "GET":
        return render(request, "phones/pair.html", context)
    try:
        name = clean_name(request.POST.get("name", ""))
        pairing.redeem(typed_code)
    except PairingRefused as refused:
        context["error"] = refused.message
        return render(request, "phones/pair.html", context, status=refused.status)
    _device, token = registry.add(name)
    response = redirect("home")
    response.set_cookie(COOKIE, token, max_age=COOKIE_DAYS * 86400, secure=True, httponly=True, samesite="Strict")
    return response


# --- the installable app --------------------------------------------------------


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    doc = {
        "name": "Afterglow",
        "short_name": "Afterglow",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#faf7f2",
        "theme_color": "#faf7f2",
        "icons": [
            {"src": static("img/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    response = JsonResponse(doc)
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
def service_worker(request: HttpRequest) -> FileResponse:
    """The service worker, served from `/` so its scope is the whole app (static files live under /static/)."""
    response = FileResponse((settings.BASE_DIR / "static" / "js" / "sw.js").open("rb"), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Kept by the service worker for when the computer is out of reach: holds nothing of the journal."""
    return render(request, "phones/offline.html")
