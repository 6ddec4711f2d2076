from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigill.compliance.models import (
    Municipality,
    ReportReason,
    Requirement,
    Result,
    formatted_organisation_number,
)

AUTO = ""
JUDGEMENT_CHOICES = [(AUTO, _("Let Sigill read the profile text")), *Result.choices]
SCREENSHOT_TYPES = {b"\x89PNG": "png", b"\xff\xd8\xff": "jpeg", b"RIFF": "webp"}
SCREENSHOT_MAX_BYTES = 5 * 1024 * 1024


class ProfileCheckForm(forms.Form):
    profile_text = forms.CharField(
        label=_("Profile text"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Paste the profile's description as it stands on the platform; Sigill checks it."),
    )
    profile_link = forms.URLField(
        label=_("The profile's link"), required=False, max_length=500, assume_scheme="https",
        help_text=_("The web address the profile links to, if it has one."),
    )  # fmt: skip
    screenshot = forms.FileField(
        label=_("Screenshot"),
        required=False,
        help_text=_("A picture of the profile as evidence (PNG, JPEG or WebP, at most 5 MB)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in Requirement.choices:
            self.fields[f"item_{code}"] = forms.ChoiceField(
                label=label, choices=JUDGEMENT_CHOICES, required=False, widget=forms.RadioSelect
            )

    def clean_screenshot(self) -> Any:
        upload = self.cleaned_data.get("screenshot")
        if upload is None:
            return None
        if upload.size > SCREENSHOT_MAX_BYTES:
            raise ValidationError(_("The screenshot is larger than 5 MB."))
        head = upload.read(4)
        upload.seek(0)
        if not any(head.startswith(magic) for magic in SCREENSHOT_TYPES):
            raise ValidationError(_("The screenshot must be a PNG, JPEG or WebP picture."))
        return upload

    def judgements(self) -> dict[str, str]:
        return {
            code: self.cleaned_data[f"item_{code}"]
            for code in Requirement
            if self.cleaned_data.get(f"item_{code}")
        }

    def item_fields(self) -> list[Any]:
        return [self[f"item_{code}"] for code in Requirement]


class TemplateForm(forms.Form):
    body = forms.CharField(label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))


def _https_by_default(field: Any, **kwargs: Any) -> Any:
    """Model URL fields as form fields that read "www.example" as https://www.example."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class MunicipalityForm(forms.ModelForm):
    class Meta:
        formfield_callback = _https_by_default
        model = Municipality
        fields = [
            "name", "organisation_number", "website", "email", "phone", "street_address", "postal_code", "city",
            "logo_url", "privacy_url", "public_address",
        ]  # fmt: skip

    def clean_organisation_number(self) -> str:
        value: str = self.cleaned_data["organisation_number"]
        return formatted_organisation_number(value) if value else ""


class CommentReportForm(forms.Form):
    """A resident's report. ``homepage`` is a honeypot: hidden from people, filled in by bots."""

    comment_url = forms.URLField(
        label=_("Link to the comment"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Copy the comment's address from the platform (often under “Share” or the time of the comment)."
        ),
    )
    reason = forms.ChoiceField(
        label=_("What is wrong with it?"), choices=ReportReason.choices, widget=forms.RadioSelect
    )
    contact = forms.CharField(
        label=_("Your e-mail or phone"),
        required=False,
        max_length=200,
        help_text=_("Only if you want us to tell you what we did. We use it for nothing else."),
    )
    homepage = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def is_bot(self) -> bool:
        return bool(self.data.get("homepage"))
