"""Signing in and out, invites, the authenticator, and the clinic admin's page."""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import quote

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from afterglow.clinic import accounts, backend, private_keys, throttle
from afterglow.clinic.forms import InviteForm, SignInForm, TokenForm
from afterglow.clinic.models import Invite, Member, Role
from afterglow.clinic.roles import must_use_second_factor, role_of


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts=None) and target.startswith("/") else "/"


def _after_password(request: HttpRequest, target: str) -> HttpResponse:
    if role_of(request.user) in (Role.CLINICIAN, Role.ADMIN) and not user_has_device(request.user, confirmed=True):
        return redirect("clinic_authenticator")
    if must_use_second_factor(request.user):
        return HttpResponseRedirect(f"{reverse('clinic_verify')}?next={quote(target)}")
    return HttpResponseRedirect(target)


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    status, refused = 200, None
    if request.method == "POST" and form.is_valid():
        username, address = form.cleaned_data["username"], throttle.client_address(request)
        refused = throttle.refused_for(username, address, known=throttle.known_browser(request, username))
        if refused:
            form.add_error(None, _held_back(refused))
            status = 429
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is not None and role_of(user) is not None:
                throttle.succeeded(username)
                login(request, user, backend=backend.PATH)  # pages then read the person in one query
                private_keys.signed_in(request, user, form.cleaned_data["password"])
                response = _after_password(request, _next(request))
                throttle.remember_browser(response, username)
                return response
            throttle.failed(username, address)
            form.add_error(None, "That username and password do not match.")
            status = 400
    elif request.method == "POST":
        status = 400
    response = render(request, "clinic/sign_in.html", {"form": form, "next": _next(request)}, status=status)
    if refused:
        response["Retry-After"] = str(refused.seconds)
    return response


def _held_back(refused: throttle.Refusal) -> str:
    if refused.scope == throttle.ACCOUNT:
        return "Too many tries. Please wait 15 minutes, or ask the clinic for a new invite."
    # Many people may share this address (a clinic's Wi-Fi): a short wait, never a lock-out.
    return (
        "Many sign-ins have just failed from this network, so tries from it are spaced out. "
        f"Please wait {refused.seconds} seconds, then sign in again."
    )


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("clinic_sign_in")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
        waiting = _still_waiting(devices)
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return HttpResponseRedirect(_next(request))
        form.add_error(None, _code_problem(waiting))
    status = 400 if request.method == "POST" else 200
    return render(request, "clinic/verify.html", {"form": form, "next": _next(request)}, status=status)


def _still_waiting(devices: list[TOTPDevice]) -> bool:
    """Whether this code will not even be checked: django-otp makes each wrong code wait longer
    (1 s, 2 s, 4 s…) before the next is looked at. Asked before the check, so a first wrong code is
    told it did not match rather than that there were too many."""
    return bool(devices) and not any(d.verify_is_allowed()[0] for d in devices)


def _code_problem(waiting: bool) -> str:
    if waiting:
        return "Too many wrong codes in a row: please wait a little while, then type the code shown now."
    return "That code did not match. Codes change every 30 seconds; type the one your app shows now."


@require_http_methods(["GET", "POST"])
def authenticator(request: HttpRequest) -> HttpResponse:
    """Add a TOTP authenticator: the key to type into the app, then one code to confirm it."""
    user = request.user
    if user_has_device(user, confirmed=True) and not getattr(user, "is_verified", lambda: False)():
        return redirect("clinic_verify")
    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "authenticator"})
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        waiting = _still_waiting([device])
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            otp_login(request, device)
            return redirect("home")
        form.add_error(None, _code_problem(waiting))
    secret = b32encode(device.bin_key).decode()
    context = {"form": form, "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)), "uri": device.config_url}
    return render(request, "clinic/authenticator.html", context, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def accept_invite(request: HttpRequest, token: str) -> HttpResponse:
    invite = Invite.find(token)
    if invite is None:
        return render(request, "clinic/invite_spent.html", status=404)
    user = invite.member.user
    problems: list[str] = []
    if request.method == "POST":
        password, again = request.POST.get("password", ""), request.POST.get("password_again", "")
        if password != again:
            problems = ["The two passwords are not the same."]
        else:
            try:
                validate_password(password, user)
            except ValidationError as e:
                problems = list(e.messages)
        if not problems:
            try:
                user = accounts.accept(invite, password)
            except accounts.AccountProblem as e:
                return render(request, "clinic/invite_spent.html", {"reason": str(e)}, status=410)
            logout(request)
            login(request, user, backend=backend.PATH)
            private_keys.signed_in(request, user, password)
            return _after_password(request, reverse("home"))
    context = {"member": invite.member, "problems": problems, "help": password_validators_help_texts()}
    return render(request, "clinic/invite.html", context, status=400 if problems else 200)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("clinic_sign_in")


def home(request: HttpRequest) -> HttpResponse:
    """The admin's page (members and invites), or the clinician's (what part 2 brings)."""
    role = role_of(request.user)
    if role == Role.PATIENT:
        return redirect("home")
    if role != Role.ADMIN:
        return render(request, "clinic/clinician.html")
    return _admin_page(request, InviteForm())


@require_POST
def new_invite(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) != Role.ADMIN:
        raise PermissionDenied
    form = InviteForm(request.POST)
    link = ""
    if form.is_valid():
        try:
            member, token = accounts.invite(form.cleaned_data["username"], form.cleaned_data["role"], request.user)
        except accounts.AccountProblem as e:
            form.add_error("username", str(e))
        else:
            link = request.build_absolute_uri(reverse("clinic_invite", args=[token]))
            return _admin_page(request, InviteForm(), link=link, invited=member)
    return _admin_page(request, form, status=400)


def _admin_page(
    request: HttpRequest, form: InviteForm, *, link: str = "", invited: Member | None = None, status: int = 200
) -> HttpResponse:
    members = Member.objects.select_related("user").order_by("role", "user__username")
    context = {"form": form, "members": members, "link": link, "invited": invited}
    return render(request, "clinic/admin.html", context, status=status)
