"""The choice of month and unit above a report."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sigill.organisation.models import Unit
from sigill.reports.periods import Month

# How far back the month list reaches; older months are reached by their address.
MONTHS_OFFERED = 36


class PeriodForm(forms.Form):
    month = forms.ChoiceField(label=_("Month"))
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All my accounts"),
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        months = Month.current().back(MONTHS_OFFERED)[::-1]
        month_field: forms.ChoiceField = self.fields["month"]  # type: ignore[assignment]
        month_field.choices = [(month.iso, month.label) for month in months]
        unit_field: forms.ModelChoiceField[Unit] = self.fields["unit"]  # type: ignore[assignment]
        unit_field.queryset = Unit.objects.filter(pk__in=[unit.pk for unit in units]).order_by("path")

    def period(self) -> Month:
        year, month = self.cleaned_data["month"].split("-")
        return Month(int(year), int(month))
