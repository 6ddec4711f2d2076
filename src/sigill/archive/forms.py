"""The archive's forms: search, manual capture and marking an item secret."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigill.archive.capture import Direction, Kind
from sigill.archive.search import Filters
from sigill.core import file_types
from sigill.organisation.models import Unit
from sigill.registry.models import Account, Platform

DATE = forms.DateInput(attrs={"type": "date"})


class AccountChoiceField(forms.ModelChoiceField[Account]):
    def label_from_instance(self, obj: Account) -> str:
        return f"{obj.display_name} ({obj.platform.name})"


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    account = AccountChoiceField(
        label=_("Account"), queryset=Account.objects.none(), required=False, empty_label=_("Any")
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("Any")
    )
    platform = forms.ModelChoiceField(
        label=_("Platform"), queryset=Platform.objects.all(), required=False, empty_label=_("Any")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any")), *Kind.choices], required=False)
    direction = forms.ChoiceField(
        label=_("Direction"), choices=[("", _("Any")), *Direction.choices], required=False
    )
    author = forms.CharField(label=_("Author"), required=False, max_length=100)
    since = forms.DateField(label=_("Published from"), required=False, widget=DATE)
    until = forms.DateField(label=_("Published until"), required=False, widget=DATE)
    removed = forms.ChoiceField(
        label=_("Removed on the platform"),
        choices=[("", _("Any")), ("yes", _("Only removed")), ("no", _("Only still there"))],
        required=False,
    )

    def __init__(self, *args: Any, accounts: QuerySet[Account], units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date comes before the start date."))
        return cleaned

    def filters(self) -> Filters:
        """The valid form as the search's filters (the unit is passed to the search apart)."""
        data = self.cleaned_data
        return Filters(
            text=data["q"],
            accounts=[data["account"].pk] if data["account"] else None,
            platform=data["platform"].pk if data["platform"] else None,
            kind=data["kind"],
            direction=data["direction"],
            author=data["author"],
            since=local_day_start(data["since"]) if data["since"] else None,
            until=local_day_start(data["until"] + dt.timedelta(days=1)) if data["until"] else None,
            removed={"yes": True, "no": False}.get(data["removed"]),
        )


def local_day_start(day: dt.date) -> dt.datetime:
    """Midnight of ``day`` in Stockholm, as an aware time (the database compares in UTC)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ManualCaptureForm(forms.Form):
    """A capture by hand, for platforms without an API (Snapchat) or when the API fails."""

    account = AccountChoiceField(label=_("Account"), queryset=Account.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.POST)
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=Direction.choices,
        initial=Direction.DRAWN_UP,
        help_text=_("Drawn up: the municipality's own post or reply. Received: what someone else posted."),
    )
    published_at = forms.DateTimeField(
        label=_("Published (Swedish time)"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    text = forms.CharField(
        label=_("Text or description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The text as it stands on the platform, or a description of what the files show."),
        max_length=20000,
    )
    author = forms.CharField(label=_("Author as the platform shows them"), required=False, max_length=300)
    url = forms.URLField(
        label=_("Address on the platform"), required=False, max_length=1000, assume_scheme="https"
    )
    uploads = MultipleFileField(
        label=_("Screenshots or files"),
        required=False,
        help_text=_("You can choose several files."),
    )

    def __init__(self, *args: Any, accounts: QuerySet[Account], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]

    def clean_published_at(self) -> dt.datetime:
        published: dt.datetime = self.cleaned_data["published_at"]
        if published > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError(_("The time lies in the future."))
        return published

    def clean_uploads(self) -> list[Any]:
        """Each file within the size limit and of a format the archive keeps, known by its content;
        its content type is then the one read from the content, not the browser's word."""
        files: list[Any] = self.cleaned_data["uploads"]
        for upload in files:
            if upload.size > settings.MANUAL_CAPTURE_MAX_BYTES:
                raise forms.ValidationError(
                    _("%(name)s is larger than %(size)s (MANUAL_CAPTURE_MAX_BYTES)."),
                    params={"name": upload.name, "size": filesizeformat(settings.MANUAL_CAPTURE_MAX_BYTES)},
                )
            content_type = file_types.sniff_upload(upload)
            if content_type is None:
                raise forms.ValidationError(
                    _(
                        "%(name)s is not a file the archive keeps. Upload a PDF, a picture (PNG, "
                        "JPEG, GIF, WebP or HEIC), plain text or a video (MP4, MOV or WebM)."
                    ),
                    params={"name": upload.name},
                )
            upload.content_type = content_type
        return files


class MarkSecretForm(forms.Form):
    provision = forms.CharField(
        label=_("Provision"),
        max_length=200,
        help_text=_(
            "The provision of the Public Access to Information and Secrecy Act, e.g. OSL 26 kap. 1 §."
        ),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
