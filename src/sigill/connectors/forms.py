"""Forms of the connectors' pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigill.connectors.models import Connection
from sigill.registry.models import Account


class ConnectForm(forms.ModelForm):
    api_base = forms.URLField(
        label=_("API address"),
        required=False,
        assume_scheme="https",
        max_length=300,
        help_text=_("Only for Mastodon (the instance) and Bluesky (the PDS, if not bsky.social)."),
    )

    class Meta:
        model = Connection
        fields = ["remote_id", "api_base", "interval_minutes"]
        help_texts = {
            "remote_id": _(
                "Facebook: the Page id. Instagram: the professional account's user id. YouTube: the "
                "uploads playlist (UU…). LinkedIn: the organisation id. X: the user id. Mastodon: the "
                "account id. Bluesky: the DID. Threads: the Threads user id. TikTok: the business "
                "account's business_id."
            ),
        }

    def clean_interval_minutes(self) -> int:
        value: int = self.cleaned_data["interval_minutes"]
        if value < 5:
            raise forms.ValidationError(_("Sync at most every five minutes."))
        return value


class PeriodForm(forms.Form):
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("The period must end after it starts."))
        return data

    def period(self) -> tuple[dt.datetime, dt.datetime]:
        """The chosen days as local midnights (the last 30 days by default)."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        since = data.get("since") or today - dt.timedelta(days=30)
        until = data.get("until") or today
        zone = timezone.get_current_timezone()
        return (
            dt.datetime.combine(since, dt.time.min, tzinfo=zone),
            dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
        )


class ImportForm(forms.Form):
    account: forms.ModelChoiceField[Account] = forms.ModelChoiceField(
        label=_("Account"), queryset=Account.objects.none()
    )
    export = forms.FileField(
        label=_("Export file"),
        help_text=_(
            "The platform's own download as a zip: Facebook or Instagram (JSON), X (the archive), "
            "LinkedIn (CSV), YouTube (Google Takeout), TikTok (JSON)."
        ),
    )

    def __init__(self, *args: Any, accounts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["account"].label_from_instance = lambda a: f"{a.display_name} ({a.platform.name})"  # type: ignore[attr-defined]

    def clean_export(self) -> Any:
        upload = self.cleaned_data["export"]
        if upload.size > settings.EXPORT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than Sigill accepts for an upload."))
        return upload
