from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from afterglow.clinic.models import Role


class SignInForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(
        label="Password", max_length=4096, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class TokenForm(forms.Form):
    token = forms.RegexField(
        label="The 6-digit code from your authenticator app",
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": "Type the six digits your authenticator app shows now."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self) -> str:
        return str(self.cleaned_data["token"]).strip()


class InviteForm(forms.Form):
    username = forms.RegexField(
        label="Username",
        regex=r"^[\w.@+-]{2,150}$",
        max_length=150,
        error_messages={"invalid": "Use 2 to 150 letters, digits and . @ + - _ only."},
    )
    role = forms.ChoiceField(label="Role", choices=Role.choices)

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip()

    def existing_user(self) -> object | None:
        return get_user_model().objects.filter(username__iexact=self.cleaned_data["username"]).first()


def _password_field(label: str, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=4096, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": autocomplete})
    )


class KeptForm(forms.Form):
    kept = forms.BooleanField(
        label="I have written down or printed my recovery key and put it somewhere safe.",
        error_messages={
            "required": "Please keep the recovery key first: without it, a forgotten password loses your private entries."
        },
    )


class RecoverForm(forms.Form):
    recovery_key = forms.CharField(
        label="Your recovery key", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})
    )
    password = _password_field("The password you just chose", "current-password")


class StartOverForm(forms.Form):
    password = _password_field("Your password", "current-password")
    understood = forms.BooleanField(
        label="I understand: the private entries I wrote before stay locked for good, unless I find my old recovery key first.",
        error_messages={"required": "Please tick the box to show you know what going on without the recovery key means."},
    )

    def __init__(self, data: Any = None, *, ask_understood: bool = True, auto_id: str = "start_%s") -> None:
        super().__init__(data, auto_id=auto_id)
        if not ask_understood:
            del self.fields["understood"]


class NewPasswordForm(forms.Form):
    current = _password_field("Your current password", "current-password")
    new = _password_field("New password", "new-password")
    again = _password_field("The new password again", "new-password")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("new") and data.get("new") != data.get("again"):
            self.add_error("again", "The two new passwords are not the same.")
        return data
