"""The form that creates a personal API token."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigill.api.models import ApiToken

LIFETIMES = [
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("180", _("180 days")),
    ("365", _("1 year")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the website's list of accounts."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        help_text=_("Give a token only the rights it needs: most systems only read."),
    )
    lifetime = forms.ChoiceField(label=_("Valid for"), choices=LIFETIMES, initial="90")

    def expires_at(self) -> dt.datetime:
        return timezone.now() + dt.timedelta(days=int(self.cleaned_data["lifetime"]))
