"""Vault pages: first-run setup, unlock, recover, lock, passphrase change, re-key, recovery key, backups."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from afterglow import modes
from afterglow.vault import backup, guesses, rekey, session
from afterglow.vault.errors import VaultError, WrongPassphrase
from afterglow.vault.forms import (
    ChangePassphraseForm,
    KeptForm,
    NewPassphraseForm,
    NewRecoveryKeyForm,
    RecoverForm,
    RekeyForm,
    UnlockForm,
)
from afterglow.vault.middleware import VAULT_PAGES, unlock_url

# The recovery key stays in memory only until the person confirms they kept it.
_pending_recovery: dict[str, str] = {}
_pending_lock = threading.Lock()


def _next(request: HttpRequest) -> str:
    home = reverse("home")
    target = request.POST.get("next") or request.GET.get("next") or home
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) and target.startswith("/")
    return target if safe and not target.startswith(VAULT_PAGES) else home


def setup(request: HttpRequest) -> HttpResponse:
    if session.is_set_up():
        return HttpResponseRedirect(reverse("unlock"))
    form = NewPassphraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recovery = session.create_journal(form.cleaned_data["new"])
        except VaultError as exc:
            form.add_error(None, str(exc))
            return render(request, "vault/setup.html", {"form": form}, status=exc.status)
        session.bind(request)
        _remember_recovery(request, recovery)
        return _recovery_page(request, recovery, KeptForm())
    return render(request, "vault/setup.html", {"form": form}, status=400 if form.errors else 200)


def _recovery_page(request: HttpRequest, recovery: str, form: KeptForm, status: int = 200) -> HttpResponse:
    return render(request, "vault/recovery_key.html", {"recovery": recovery.split("-"), "form": form}, status=status)


def _remember_recovery(request: HttpRequest, recovery: str) -> None:
    with _pending_lock:
        _pending_recovery[request.session[session.SESSION_KEY]] = recovery


def recovery_key(request: HttpRequest) -> HttpResponse:
    """The gate every page leads to until the person says they kept the recovery key."""
    if not modes.current().journal_open(request):  # its path starts like the recover page's, which is open while locked
        return HttpResponseRedirect(unlock_url(reverse("recovery_key")))
    token = request.session.get(session.SESSION_KEY, "")
    pending = _pending_recovery.get(token)
    if request.method == "POST":
        return _confirm_kept(request, token, pending)
    if pending is not None:
        return _recovery_page(request, pending, KeptForm())
    if session.recovery_confirmed():
        return HttpResponseRedirect(reverse("home"))
    # Shown once and never confirmed (Afterglow restarted, or another browser): it cannot be shown
    # again, since only a wrapped copy is kept. A new one replaces it.
    return render(request, "vault/recovery_missing.html")


def _confirm_kept(request: HttpRequest, token: str, pending: str | None) -> HttpResponse:
    if pending is None:
        return HttpResponseRedirect(reverse("recovery_key"))
    form = KeptForm(request.POST)
    if not form.is_valid():
        return _recovery_page(request, pending, form, status=400)
    session.confirm_recovery()
    with _pending_lock:
        _pending_recovery.pop(token, None)
    messages.success(request, "Thank you. Your journal is open, and only your passphrase or that recovery key opens it.")
    return HttpResponseRedirect(reverse("home"))


@require_POST
def recovery_key_new(request: HttpRequest) -> HttpResponse:
    """A new recovery key in place of one that was never confirmed (a confirmed one needs the passphrase: Settings)."""
    if not modes.current().journal_open(request):
        return HttpResponseRedirect(unlock_url(reverse("recovery_key")))
    if session.recovery_confirmed():
        return HttpResponseRedirect(reverse("replace_recovery_key"))
    recovery, _ = session.issue_recovery_key()
    _remember_recovery(request, recovery)
    return HttpResponseRedirect(reverse("recovery_key"))


def replace_recovery_key(request: HttpRequest) -> HttpResponse:
    """Settings: a new recovery key after the passphrase; the old one stops opening the journal and its backups."""
    form = NewRecoveryKeyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        outcome: dict[str, tuple[str, rekey.Rewrapped]] = {}
        passphrase = form.data.get("passphrase", "")
        status = _try(request, form, lambda: outcome.setdefault("new", session.issue_recovery_key(passphrase)))
        if status == 302:
            _remember_recovery(request, outcome["new"][0])
            return HttpResponseRedirect(reverse("recovery_key"))
    return render(request, "vault/recovery_new.html", {"form": form, "wait": guesses.wait_for(request)}, status=status)


def rekey_view(request: HttpRequest) -> HttpResponse:
    """Settings: a new encryption key, passphrase and recovery key for when a secret may be known to someone."""
    form = RekeyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        outcome: dict[str, tuple[str, rekey.Rewrapped]] = {}
        status = _try(request, form, lambda: outcome.setdefault("new", _rekey(form)))
        if status == 302:
            recovery, backups = outcome["new"]
            _remember_recovery(request, recovery)
            done = "Your journal has a new key and a new passphrase. " + _backups_sentence(backups, rekeyed=True)
            messages.success(request, done.strip())
            return HttpResponseRedirect(reverse("recovery_key"))
    return render(request, "vault/rekey.html", {"form": form, "wait": guesses.wait_for(request)}, status=status)


def _rekey(form: forms.Form) -> tuple[str, rekey.Rewrapped]:
    return session.rekey_journal(form.cleaned_data["current"], form.cleaned_data["new"])


def _backups_sentence(backups: rekey.Rewrapped, *, rekeyed: bool) -> str:
    return " ".join(backups.sentences(rekeyed=rekeyed))


def unlock(request: HttpRequest) -> HttpResponse:
    if modes.current().journal_open(request):
        return HttpResponseRedirect(_next(request))
    if not session.is_set_up():
        return HttpResponseRedirect(reverse("vault_setup"))
    form = UnlockForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = _try(request, form, lambda: session.unlock(form.cleaned_data["passphrase"]))
        if status == 302:
            return HttpResponseRedirect(_next(request))
    return render(request, "vault/unlock.html", _gate_context(request, form), status=status)


def start(request: HttpRequest, secret: str) -> HttpResponse:
    """The one-time link `serve` prints when it started unlocked: it lets this browser in."""
    if session.redeem_start_secret(request, secret):
        # A page that moves on by itself, not a redirect: when the link came from outside (a terminal,
        # a file), the browser would leave the new SameSite=Strict cookie off a redirected request.
        return render(request, "vault/started.html")
    if modes.current().journal_open(request):
        return HttpResponseRedirect(reverse("home"))
    context = {**_gate_context(request, UnlockForm()), "link_spent": True}
    return render(request, "vault/unlock.html", context, status=403)


def recover(request: HttpRequest) -> HttpResponse:
    if not session.is_set_up():
        return HttpResponseRedirect(reverse("vault_setup"))
    form = RecoverForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = _try(request, form, lambda: session.recover(form.cleaned_data["recovery_key"], form.cleaned_data["new"]))
        if status == 302:
            messages.success(request, "Your new passphrase is set. Your recovery key still works; keep it safe.")
            return HttpResponseRedirect(_next(request))
    return render(request, "vault/recover.html", _gate_context(request, form), status=status)


def _try(request: HttpRequest, form: forms.Form, attempt: Callable[[], object]) -> int:
    """Run an unlock-like attempt behind this client's throttle; 302 on success, else the page's status."""
    if guesses.wait_for(request):
        form.add_error(None, "Please wait a moment before trying again.")
        return 429
    if not form.is_valid():
        return 400
    try:
        guesses.checked(request, attempt)
    except VaultError as exc:
        form.add_error(None, str(exc))
        return exc.status
    session.bind(request)
    return 302


def _gate_context(request: HttpRequest, form: object) -> dict[str, object]:
    return {
        "form": form,
        "next": _next(request),
        "wait": guesses.wait_for(request),
        "started_unlocked": session.started_unlocked(),
    }


@require_POST
def lock(request: HttpRequest) -> HttpResponse:
    session.lock()
    request.session.pop(session.SESSION_KEY, None)
    # Unlocking again opens the page the Lock button was pressed on.
    back = _next(request)
    return HttpResponseRedirect(unlock_url("" if back == reverse("home") else back))


def lock_status(request: HttpRequest) -> JsonResponse:
    """Whether this browser may still see the journal, and the seconds until the idle lock."""

    is_open = modes.current().journal_open(request)
    idle_left = None
    if is_open and session.idle_minutes() > 0:
        idle_left = max(0, math.ceil(session.idle_minutes() * 60 - session.idle_seconds()))
    return JsonResponse({"open": is_open, "idle_left": idle_left})


def privacy(request: HttpRequest) -> HttpResponse:
    from django.conf import settings

    context = {"backups": backup.listing()[:10], "idle_minutes": session.idle_minutes(), "keep": settings.VAULT_BACKUPS_KEEP}
    return render(request, "vault/privacy.html", context)


@require_POST
def backup_now(request: HttpRequest) -> HttpResponse:
    try:
        made = backup.make_backup()
    except VaultError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Backup saved as {made.name}.")
    return HttpResponseRedirect(reverse("privacy"))


def change_passphrase(request: HttpRequest) -> HttpResponse:
    form = ChangePassphraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            backups = guesses.checked(request, lambda: session.change_passphrase(data["current"], data["new"]))
        except VaultError as exc:
            form.add_error("current" if isinstance(exc, WrongPassphrase) else None, str(exc))
            context = {"form": form, "wait": guesses.wait_for(request)}
            return render(request, "vault/passphrase.html", context, status=exc.status)
        sentence = _backups_sentence(backups, rekeyed=False)
        messages.success(request, f"Your passphrase is changed. Use the new one next time you unlock. {sentence}".strip())
        return HttpResponseRedirect(reverse("privacy"))
    context = {"form": form, "wait": guesses.wait_for(request)}
    return render(request, "vault/passphrase.html", context, status=400 if form.errors else 200)
