"""The application form (saved as a draft at any time; checked in full on submission) and decisions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sigill.applications.models import Application
from sigill.applications.services import STEPS, ApplicationData
from sigill.organisation.models import Unit
from sigill.organisation.selectors import active_users, open_units
from sigill.registry.models import Platform, Purpose

HELP = {
    "platform": _("Where the account will be."),
    "proposed_name": _(
        "The name people will see, e.g. “Vara bibliotek”. The municipality must be the clear sender."
    ),
    "proposed_address": _("The handle you want (e.g. varabibliotek) or the profile's address if it exists."),
    "unit": _("The unit that owns the account and answers for it. Its unit manager anchors the application."),
    "purposes": _("What the account is mainly for; choose one or more."),
    "purpose_statement": _("Every account must have a clear purpose. It is shown on the public list."),
    "target_audience": _("Who you want to reach."),
    "content_plan": _("What you will publish, and how often."),
    "publishers": _("Who will publish; name the people or roles."),
    "hours_per_week": _("How much time the account will take, in hours a week."),
    "moderation_plan": _(
        "Who reads and answers comments and messages, how often, also on weekends and holidays."
    ),
    "crisis_plan": _("How the account is used, or paused, in a crisis."),
    "ending_plan": _("How and when the account is ended if it no longer serves its purpose."),
    "responsible": _("Answers for the account. Must be someone other than the deputy."),
    "deputy": _("Stands in when the responsible person is away."),
}


class ApplicationForm(forms.Form):
    platform = forms.ModelChoiceField(
        label=_("Platform"),
        queryset=Platform.objects.all(),
        required=False,
        empty_label=_("Choose a platform"),
    )
    proposed_name = forms.CharField(label=_("Proposed name"), max_length=200, required=False)
    proposed_address = forms.CharField(label=_("Proposed handle or address"), max_length=300, required=False)
    unit = forms.ModelChoiceField(
        label=_("Owning unit"),
        queryset=Unit.objects.order_by("name"),
        required=False,
        empty_label=_("Choose a unit"),
    )
    purposes = forms.ModelMultipleChoiceField(
        label=_("Purpose categories"),
        queryset=Purpose.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    purpose_statement = forms.CharField(
        label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    target_audience = forms.CharField(label=_("Target audience"), max_length=300, required=False)
    content_plan = forms.CharField(
        label=_("Content plan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    publishers = forms.CharField(
        label=_("Who will publish"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    hours_per_week = forms.DecimalField(
        label=_("Hours a week"), max_digits=4, decimal_places=1, min_value=0, max_value=99, required=False
    )
    moderation_plan = forms.CharField(
        label=_("Moderation plan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    crisis_plan = forms.CharField(
        label=_("Crisis plan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    ending_plan = forms.CharField(
        label=_("How the account ends"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible person"),
        queryset=active_users(),
        required=False,
        empty_label=_("Choose a person"),
    )
    deputy = forms.ModelChoiceField(
        label=_("Deputy"), queryset=active_users(), required=False, empty_label=_("Choose a person")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.help_text = HELP[name]
        for name in ("responsible", "deputy"):
            self.fields[name].queryset = active_users()  # type: ignore[attr-defined]
            self.fields[name].label_from_instance = lambda person: f"{person} ({person.username})"  # type: ignore[attr-defined]
        self.fields["unit"].queryset = open_units(keep=self.initial.get("unit")).order_by("name")  # type: ignore[attr-defined]

    def to_data(self) -> ApplicationData:
        data = self.cleaned_data
        return ApplicationData(
            **{name: data[name] for name in self.fields if name != "purposes"},
            purposes=list(data["purposes"]),
        )

    @staticmethod
    def initial_for(application: Application) -> dict[str, Any]:
        initial = {name: getattr(application, name) for name in HELP if name != "purposes"}
        initial["purposes"] = list(application.purposes.all())
        return initial


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[(step, step) for step in STEPS], widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when you return or reject the application: say what to complete, or why."),
    )


class TickForm(forms.Form):
    note = forms.CharField(label=_("How do you know it is done?"), max_length=500)


class OverviewFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All")), *Application.State.choices], required=False
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.order_by("name"), required=False, empty_label=_("All")
    )
    platform = forms.ModelChoiceField(
        label=_("Platform"), queryset=Platform.objects.all(), required=False, empty_label=_("All")
    )
