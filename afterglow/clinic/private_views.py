"""A patient's key for private entries: the recovery key, a locked journal after a reset, a new password."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from afterglow.clinic import private_keys
from afterglow.clinic.forms import KeptForm, NewPasswordForm, RecoverForm, StartOverForm
from afterglow.clinic.models import Role
from afterglow.clinic.roles import role_of
from afterglow.journal import keyring as rings


def _patient(request: HttpRequest) -> bool:
    return request.user.is_authenticated and role_of(request.user) == Role.PATIENT


@require_http_methods(["GET", "POST"])
def recovery_key(request: HttpRequest) -> HttpResponse:
    """The recovery key, shown once; nothing else opens until the patient says they kept it."""
    keyring = private_keys.keyring_of(request.user) if _patient(request) else None
    if keyring is None or not keyring.by_password:
        return redirect("home")
    pending = private_keys.pending_recovery(request)
    if pending is None:
        state = "kept" if keyring.recovery_confirmed_at else "missing"
        return render(request, "clinic/recovery_key_none.html", {"status": state, "form": _new_key_form(keyring)})
    form = KeptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rings.confirm_recovery(keyring)
        private_keys.drop_recovery(request)
        messages.success(request, "Thank you. Your private entries open with your password, or with that recovery key.")
        return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "clinic/recovery_key.html", {"recovery": pending.split("-"), "form": form}, status=status)


def _new_key_form(keyring: object) -> StartOverForm | None:
    return StartOverForm(ask_understood=False) if getattr(keyring, "recovery_confirmed_at", None) else None


@require_POST
def recovery_key_new(request: HttpRequest) -> HttpResponse:
    """A new recovery key in place of the old one (which stops working). A kept one is replaced only with the password."""
    keyring = private_keys.keyring_of(request.user) if _patient(request) else None
    secret = private_keys.secret_of(request)
    if keyring is None or secret is None:
        return redirect("home")
    if keyring.recovery_confirmed_at is not None:
        form = StartOverForm(request.POST, ask_understood=False)
        if not form.is_valid() or not request.user.check_password(form.cleaned_data["password"]):
            if form.is_valid():
                form.add_error("password", "That is not your password.")
            return render(request, "clinic/recovery_key_none.html", {"status": "kept", "form": form}, status=400)
    private_keys.keep_recovery(request, rings.new_recovery_key(keyring, secret))
    return redirect("clinic_recovery_key")


_RECOVER_ID = "recover_%s"  # two forms on one page: their fields' ids must differ


@require_http_methods(["GET", "POST"])
def private_locked(request: HttpRequest) -> HttpResponse:
    """After an admin's reset: the recovery key opens the private entries again, or the patient goes on without them."""
    keyring = private_keys.keyring_of(request.user) if _patient(request) else None
    if keyring is None or keyring.by_password:
        return redirect("home")
    recover, start = RecoverForm(auto_id=_RECOVER_ID), StartOverForm()
    status = 200
    if request.method == "POST" and request.POST.get("action") == "recover":
        recover = RecoverForm(request.POST, auto_id=_RECOVER_ID)
        if recover.is_valid():
            secret = rings.unlock_with_recovery(keyring, recover.cleaned_data["recovery_key"])
            if secret is None:
                recover.add_error("recovery_key", "That recovery key does not open these entries. Check each group of letters.")
            elif not request.user.check_password(recover.cleaned_data["password"]):
                recover.add_error("password", "That is not the password you just chose.")
            else:
                rings.rewrap_password(keyring, secret, recover.cleaned_data["password"])
                private_keys.keep(request, secret)
                messages.success(request, "Your private entries are open again, with your new password.")
                return redirect("home")
        status = 400
    elif request.method == "POST":
        start = StartOverForm(request.POST)
        if start.is_valid() and request.user.check_password(start.cleaned_data["password"]):
            private_keys.start_over(request, request.user, start.cleaned_data["password"])
            return redirect("clinic_recovery_key")
        if start.is_valid():
            start.add_error("password", "That is not the password you just chose.")
        status = 400
    context = {"recover": recover, "start": start, "locked": rings.locked_count(request.user)}
    return render(request, "clinic/private_locked.html", context, status=status)


@require_http_methods(["GET", "POST"])
def change_password(request: HttpRequest) -> HttpResponse:
    """A new password; a patient's private entries' key is wrapped again under it."""
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user: Any = request.user
        if not user.check_password(form.cleaned_data["current"]):
            form.add_error("current", "That is not your current password.")
        else:
            try:
                validate_password(form.cleaned_data["new"], user)
            except ValidationError as e:
                form.add_error("new", e)
        if form.is_valid():
            _set_password(request, form.cleaned_data["new"])
            messages.success(request, "Your password is changed. Use the new one next time you sign in.")
            return redirect("clinic_change_password")
    context = {"form": form, "help": password_validators_help_texts(), "patient": _patient(request)}
    return render(request, "clinic/change_password.html", context, status=400 if request.method == "POST" else 200)


@transaction.atomic
def _set_password(request: HttpRequest, password: str) -> None:
    user: Any = request.user
    user.set_password(password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)
    keyring = private_keys.keyring_of(user) if _patient(request) else None
    secret = private_keys.secret_of(request)
    if keyring is not None and secret is not None:
        rings.rewrap_password(keyring, secret, password)
