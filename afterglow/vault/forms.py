"""Vault forms. Passphrases are never echoed back into a page."""

from __future__ import annotations

from typing import Any

from django import forms

from afterglow.vault.crypto import normalise
from afterglow.vault.session import MIN_PASSPHRASE

_secret = {"autocomplete": "current-password", "autocapitalize": "none", "spellcheck": "false"}
_new_secret = {**_secret, "autocomplete": "new-password", "data-strength": "true", "minlength": str(MIN_PASSPHRASE)}


class NewPassphraseForm(forms.Form):
    new = forms.CharField(
        label="Passphrase",
        strip=False,
        min_length=MIN_PASSPHRASE,
        widget=forms.PasswordInput(attrs=_new_secret),
        help_text="At least 8 characters. A few ordinary words in an order only you would choose work well.",
        error_messages={
            "required": "Please choose a passphrase.",
            "min_length": f"Please use at least {MIN_PASSPHRASE} characters; a few plain words work well.",
        },
    )
    again = forms.CharField(
        label="The same passphrase again",
        strip=False,
        widget=forms.PasswordInput(attrs={**_secret, "autocomplete": "new-password"}),
        error_messages={"required": "Please type the passphrase a second time, so we know it is the one you meant."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new") and data.get("again") is not None and normalise(data["new"]) != normalise(data["again"]):
            self.add_error("again", "The two passphrases are not the same. Please type both again.")
        return data


class UnlockForm(forms.Form):
    passphrase = forms.CharField(
        label="Passphrase",
        strip=False,
        widget=forms.PasswordInput(attrs={**_secret, "autofocus": True}),
        error_messages={"required": "Please type your passphrase."},
    )


class ChangePassphraseForm(NewPassphraseForm):
    current = forms.CharField(
        label="Current passphrase",
        strip=False,
        widget=forms.PasswordInput(attrs=_secret),
        error_messages={"required": "Please type your current passphrase."},
    )
    field_order = ["current", "new", "again"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new"].label = "New passphrase"
        self.fields["again"].label = "The new passphrase again"


class RecoverForm(NewPassphraseForm):
    recovery_key = forms.CharField(
        label="Recovery key",
        max_length=80,
        help_text="The groups of letters and digits you wrote down when you set up Afterglow. Dashes and spaces are optional.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": "Please type your recovery key."},
    )
    field_order = ["recovery_key", "new", "again"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new"].label = "New passphrase"
        self.fields["again"].label = "The new passphrase again"


class KeptForm(forms.Form):
    kept = forms.BooleanField(
        label="I have written down or printed my recovery key and put it somewhere safe.",
        error_messages={"required": "Please keep the recovery key first: without it, a forgotten passphrase cannot be undone."},
    )


class RekeyForm(ChangePassphraseForm):
    pass


class NewRecoveryKeyForm(forms.Form):
    passphrase = forms.CharField(
        label="Your passphrase",
        strip=False,
        widget=forms.PasswordInput(attrs=_secret),
        error_messages={"required": "Please type your passphrase."},
    )
