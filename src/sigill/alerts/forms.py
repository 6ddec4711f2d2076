"""Forms of the alerts screens: a person's preferences and comms' rota."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sigill.alerts import selectors


class PreferencesForm(forms.Form):
    by_email = forms.BooleanField(label=_("By e-mail"), required=False)
    webhook_mention = forms.BooleanField(
        label=_("Named in the Teams or Slack channel's message"), required=False
    )
    critical_finding = forms.BooleanField(
        label=_("Critical findings (threat, hate, identity numbers, secret information)"), required=False
    )
    missed_target = forms.BooleanField(label=_("Missed time targets"), required=False)
    digest = forms.BooleanField(label=_("Digests, when many alerts come at once"), required=False)

    CHANNELS = ("by_email", "webhook_mention")
    REASONS = ("critical_finding", "missed_target", "digest")

    def channels(self) -> list[forms.BoundField]:
        return [self[name] for name in self.CHANNELS]

    def reasons(self) -> list[forms.BoundField]:
        return [self[name] for name in self.REASONS]


class RotaWeekForm(forms.Form):
    prefix = "week"
    week_start = forms.DateField(
        label=_("Week starting (a Monday)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    person = forms.ModelChoiceField(label=_("On call"), queryset=selectors.rota_candidates())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = selectors.rota_candidates()  # type: ignore[attr-defined]


class RotaDayForm(forms.Form):
    prefix = "day"
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    person = forms.ModelChoiceField(
        label=_("On call that day"),
        queryset=selectors.rota_candidates(),
        required=False,
        empty_label=_("The week's person"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = selectors.rota_candidates()  # type: ignore[attr-defined]
