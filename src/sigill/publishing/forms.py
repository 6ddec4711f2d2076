from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigill.core.file_types import sniff_upload
from sigill.publishing.abilities import abilities_of
from sigill.publishing.models import ApprovalRule, DraftMedia
from sigill.publishing.services import TargetText


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def not_past(value: dt.datetime | None) -> dt.datetime | None:
    """A publishing time must lie ahead (a minute's grace for the time it takes to send the form)."""
    if value is not None and value < timezone.now() - dt.timedelta(minutes=1):
        raise forms.ValidationError(_("Choose a time that has not passed."))
    return value


class NewDraftForm(forms.Form):
    title = forms.CharField(
        label=_("Working title"), max_length=120, help_text=_("Shown in the calendar; not published.")
    )
    accounts: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Accounts"), queryset=None, widget=forms.CheckboxSelectMultiple,
        help_text=_("The accounts you edit. You adapt the text for each one on the next page."),
    )  # fmt: skip
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}), required=False)

    def __init__(self, *args: Any, accounts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accounts"].queryset = accounts  # type: ignore[attr-defined]


class DraftForm(forms.Form):
    """The draft's title, link and time, and a text (and first comment) per account."""

    title = forms.CharField(label=_("Working title"), max_length=120)
    link = forms.URLField(
        label=_("Link"), required=False, max_length=500, assume_scheme="https",
        help_text=_("Published after the text on every account, and counted in its length."),
    )  # fmt: skip
    scheduled_at = forms.DateTimeField(
        label=_("Publish at"), required=False, widget=LocalDateTimeInput(),
        help_text=_("Swedish time. Leave empty to publish by hand."),
    )  # fmt: skip

    def __init__(self, *args: Any, targets: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = targets
        for target in targets:
            abilities = abilities_of(target.account.platform.slug)
            attrs = {"rows": 6, "aria-describedby": f"count-{target.account_id}"}
            if abilities.text_limit:
                attrs["data-limit"] = str(abilities.text_limit)
            self.fields[f"text_{target.account_id}"] = forms.CharField(
                label=_("Text"), required=False, widget=forms.Textarea(attrs=attrs), initial=target.text
            )
            if abilities.first_comment:
                self.fields[f"first_comment_{target.account_id}"] = forms.CharField(
                    label=_("First comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                    initial=target.first_comment,
                )  # fmt: skip

    def clean_scheduled_at(self) -> dt.datetime | None:
        return not_past(self.cleaned_data["scheduled_at"])

    def texts(self) -> dict[int, TargetText]:
        return {
            target.account_id: TargetText(
                self.cleaned_data.get(f"text_{target.account_id}", ""),
                self.cleaned_data.get(f"first_comment_{target.account_id}", ""),
            )
            for target in self.targets
        }

    def fields_of(self, target: Any) -> list[forms.BoundField]:
        names = [f"text_{target.account_id}", f"first_comment_{target.account_id}"]
        return [self[name] for name in names if name in self.fields]


IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
VIDEO_TYPES = {"video/mp4", "video/quicktime", "video/webm"}
MAX_MEDIA_BYTES = 200 * 1024 * 1024


def caption_type(head: bytes) -> str | None:
    """WebVTT begins with "WEBVTT"; SubRip with a cue number and a "00:00:01,000 -->" line."""
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    if text.startswith("WEBVTT"):
        return "text/vtt"
    lines = text.splitlines()
    if len(lines) >= 2 and lines[0].strip().isdigit() and "-->" in lines[1] and "," in lines[1]:
        return "application/x-subrip"
    return None


class MediaForm(forms.Form):
    file = forms.FileField(
        label=_("Image or video"), help_text=_("PNG, JPEG, GIF, WebP; MP4, QuickTime or WebM.")
    )
    alt_text = forms.CharField(
        label=_("Alternative text"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the image or video shows, for those who cannot see it."),
    )  # fmt: skip
    captions = forms.FileField(label=_("Caption file (SRT or WebVTT)"), required=False)
    no_captions_reason = forms.CharField(
        label=_("Why the video has no captions"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only for a video without a caption file, e.g. it has no speech."),
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is None:
            return data
        if upload.size > MAX_MEDIA_BYTES:
            self.add_error("file", _("The file is larger than 200 MB."))
            return data
        content_type = sniff_upload(upload)
        if content_type in IMAGE_TYPES:
            data["kind"] = DraftMedia.Kind.IMAGE
        elif content_type in VIDEO_TYPES:
            data["kind"] = DraftMedia.Kind.VIDEO
        else:
            self.add_error("file", _("This is not an image or a video Sigill can publish."))
            return data
        data["content_type"] = content_type
        captions = data.get("captions")
        if captions is not None:
            data["captions_type"] = caption_type(captions.read(2048))
            captions.seek(0)
            if data["captions_type"] is None:
                self.add_error("captions", _("This is not an SRT or WebVTT caption file."))
        if (
            data["kind"] == DraftMedia.Kind.VIDEO
            and captions is None
            and not data.get("no_captions_reason", "").strip()
        ):
            self.add_error("captions", _("A video needs a caption file, or a reason why it has none."))
        return data


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RequiredNoteForm(forms.Form):
    note = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class OverrideForm(forms.Form):
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=500)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class RescheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(label=_("Publish at"), required=False, widget=LocalDateTimeInput())

    def clean_scheduled_at(self) -> dt.datetime | None:
        return not_past(self.cleaned_data["scheduled_at"])


class ApprovalRuleForm(forms.Form):
    approver = forms.ChoiceField(label=_("Approved by"), choices=ApprovalRule.Approver.choices)


class CalendarFilterForm(forms.Form):
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)
    account: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Account"), queryset=None, required=False
    )
    platform: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Platform"), queryset=None, required=False
    )

    def __init__(self, *args: Any, units: Any, accounts: Any, platforms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["platform"].queryset = platforms  # type: ignore[attr-defined]
