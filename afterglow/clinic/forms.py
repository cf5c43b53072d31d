from __future__ import annotations

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
