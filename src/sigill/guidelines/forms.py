from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class VersionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, initial="Riktlinje för sociala medier")
    in_force_from = forms.DateField(label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"}))
    change_summary = forms.CharField(
        label=_("What has changed"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few sentences for the editors: what is new or different in this version."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_("Markdown: # for headings, - for lists, **bold**, [link text](https://…)."),
    )
