"""Forms of the vault. Secret inputs never render a value: not stored ones (an empty field keeps
what is stored) and not what was typed, even when the form comes back with an error."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sigill.organisation.selectors import active_users
from sigill.vault import services
from sigill.vault.models import FIELD_LABELS, REVEALABLE_FIELDS, SEALED_FIELDS, Credential
from sigill.vault.totp import TotpSecret, parse_totp, read_qr


class SecretTextarea(forms.Textarea):
    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        return super().get_context(name, None, attrs)


class SecretInput(forms.PasswordInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})}, render_value=False)


def _secret(label: Any, widget: forms.Widget | None = None, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=False, strip=False, widget=widget or SecretInput(), help_text=help_text
    )


class CredentialForm(forms.Form):
    """Deposit a credential, or change one (``editing``: empty secret fields keep what is stored)."""

    label = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("For example “The page” or “Business manager”.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Credential.Kind.choices, initial=Credential.Kind.LOGIN)
    login_name = forms.CharField(label=_("Login name or e-mail"), max_length=254, required=False)
    password = _secret(FIELD_LABELS["password"], SecretInput({"autocomplete": "new-password"}))
    totp_secret = _secret(
        FIELD_LABELS["totp_secret"],
        help_text=_("The key as base32 letters, or the whole otpauth:// address."),
    )
    totp_qr = forms.FileField(
        label=_("…or the QR code as an image"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        help_text=_("A screenshot of the QR code the platform shows when two-factor is set up."),
    )
    recovery_codes = _secret(FIELD_LABELS["recovery_codes"], SecretTextarea(attrs={"rows": 3}))
    recovery_contact = _secret(FIELD_LABELS["recovery_contact"])
    notes = _secret(FIELD_LABELS["notes"], SecretTextarea(attrs={"rows": 3}))
    api_token = _secret(
        FIELD_LABELS["api_token"], help_text=_("Only the connectors open it, for a sync; nobody sees it.")
    )
    rotation_days = forms.IntegerField(
        label=_("Rotate after (days)"), min_value=1, max_value=3650, initial=365
    )

    def __init__(self, *args: Any, credential: Credential | None = None, **kwargs: Any) -> None:
        if credential is not None:
            kwargs.setdefault(
                "initial",
                {
                    "label": credential.label,
                    "kind": credential.kind,
                    "login_name": credential.login_name,
                    "rotation_days": credential.rotation_days,
                },
            )
        super().__init__(*args, **kwargs)
        self.credential = credential
        if credential is not None:
            keep = _("Leave empty to keep the stored value.")
            for name in SEALED_FIELDS:
                if name in self.fields:  # a refresh token comes only from a platform log-in
                    self.fields[name].help_text = keep
            present = [(name, FIELD_LABELS[name]) for name in credential.present_fields]
            self.fields["remove"] = forms.MultipleChoiceField(
                label=_("Remove stored values"),
                choices=present,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields["reason"] = forms.CharField(
                label=_("Why are you changing it?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        totp: TotpSecret | None = None
        try:
            if upload := cleaned.get("totp_qr"):
                totp = read_qr(upload, upload.size)
            elif text := cleaned.get("totp_secret"):
                totp = parse_totp(text)
        except ValidationError as error:
            self.add_error("totp_qr" if cleaned.get("totp_qr") else "totp_secret", error)
        cleaned["totp"] = totp
        if (
            self.credential is None
            and cleaned.get("kind") == Credential.Kind.LOGIN
            and not cleaned.get("password")
        ):
            self.add_error("password", _("A login needs its password."))
        if (
            self.credential is None
            and cleaned.get("kind") == Credential.Kind.API_TOKEN
            and not cleaned.get("api_token")
        ):
            self.add_error("api_token", _("Enter the API token."))
        return cleaned

    def described(self) -> dict[str, Any]:
        """The service arguments both deposit and change take from this form."""
        data = self.cleaned_data
        return {
            "label": data["label"],
            "login_name": data["login_name"],
            "rotation_days": data["rotation_days"],
            "secrets_given": self.secrets(),
        }

    def secrets(self) -> services.Secrets:
        data = self.cleaned_data
        return services.Secrets(
            password=data.get("password") or None,
            totp=data.get("totp"),
            recovery_codes=data.get("recovery_codes") or None,
            recovery_contact=data.get("recovery_contact") or None,
            notes=data.get("notes") or None,
            api_token=data.get("api_token") or None,
            remove=set(data.get("remove") or []),
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need it?"),
        min_length=services.MIN_REASON_LENGTH,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Saved in the audit log with your name."),
    )


class RevealForm(ReasonForm):
    field = forms.ChoiceField(label=_("What to show"), widget=forms.RadioSelect)
    field_order = ["field", "reason"]

    def __init__(self, *args: Any, credential: Credential, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(name, FIELD_LABELS[name]) for name in REVEALABLE_FIELDS if credential.has(name)]
        field = cast(forms.ChoiceField, self.fields["field"])
        field.choices = choices
        if choices:
            field.initial = choices[0][0]


class DeputyForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=active_users())


class ExportForm(forms.Form):
    passphrase = forms.CharField(
        label=_("Passphrase"),
        min_length=services.MIN_PASSPHRASE_LENGTH,
        strip=False,
        widget=SecretInput({"autocomplete": "new-password"}),
        help_text=_("At least 16 characters. Write it down for the binder, apart from the file."),
    )
    passphrase_again = forms.CharField(label=_("The passphrase again"), strip=False, widget=SecretInput())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("passphrase") and cleaned.get("passphrase") != cleaned.get("passphrase_again"):
            self.add_error("passphrase_again", _("The two passphrases differ."))
        return cleaned
