"""Forms of the sign-in flow."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

CREDENTIAL_MAX_LENGTH = 20_000


class SignInForm(AuthenticationForm):
    """Username and password. Its one error message is the same whether or not the account
    exists (Django's ModelBackend also hashes for unknown names, so the timing is the same)."""


class SecondFactorForm(forms.Form):
    """A code from the authenticator app or a recovery code, or a security key's answer."""

    code = forms.CharField(
        label=_("Code"),
        max_length=64,
        required=False,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "off",
                "spellcheck": "false",
                "dir": "ltr",
            }
        ),
    )
    credential = forms.CharField(
        max_length=CREDENTIAL_MAX_LENGTH, required=False, widget=forms.HiddenInput
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("code") and not data.get("credential"):
            raise forms.ValidationError(
                _("Enter the code from your authenticator app or a recovery code."),
                code="required",
            )
        return data


class ReauthForm(SecondFactorForm):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "dir": "ltr"}),
    )

    field_order = ["password", "code", "credential"]


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "dir": "ltr"}
        ),
    )


class SecurityKeyForm(forms.Form):
    name = forms.CharField(label=_("Name of the key"), max_length=64, required=False)
    credential = forms.CharField(max_length=CREDENTIAL_MAX_LENGTH, widget=forms.HiddenInput)
