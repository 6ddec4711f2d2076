"""Forms of the registry screens: accounts, status changes, editors, reviews, platforms, import."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from sigill.organisation.models import Unit
from sigill.organisation.selectors import active_users, open_units
from sigill.registry import importing
from sigill.registry.models import Account, AccountReview, Platform, Purpose
from sigill.registry.services import AccountData


def _person_label(person: Any) -> str:
    return f"{person} ({person.username})"


class AccountForm(forms.Form):
    platform = forms.ModelChoiceField(
        label=_("Platform"), queryset=Platform.objects.all(), empty_label=_("Choose a platform")
    )
    profile_url = forms.CharField(
        label=_("Profile address"),
        max_length=300,
        help_text=_(
            "Copy the address of the profile from the browser, e.g. https://www.instagram.com/varabibliotek/"
        ),
    )
    display_name = forms.CharField(label=_("Name on the platform"), max_length=200)
    unit = forms.ModelChoiceField(
        label=_("Owning unit"), queryset=Unit.objects.order_by("name"), empty_label=_("Choose a unit")
    )
    purposes = forms.ModelMultipleChoiceField(
        label=_("Purpose categories"),
        queryset=Purpose.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one purpose category.")},
    )
    purpose_statement = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the account is for, in a sentence or two. It is shown on the public list."),
    )
    target_audience = forms.CharField(label=_("Target audience"), max_length=300, required=False)
    responsible = forms.ModelChoiceField(
        label=_("Responsible person"), queryset=active_users(), required=False, empty_label=_("Nobody yet")
    )
    deputy = forms.ModelChoiceField(
        label=_("Deputy"), queryset=active_users(), required=False, empty_label=_("Nobody yet")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("responsible", "deputy"):
            field = self.fields[name]
            field.queryset = active_users()  # type: ignore[attr-defined]
            field.label_from_instance = _person_label  # type: ignore[attr-defined]
        self.fields["unit"].queryset = open_units(keep=self.initial.get("unit")).order_by("name")  # type: ignore[attr-defined]

    def to_data(self) -> AccountData:
        data = self.cleaned_data
        return AccountData(
            platform=data["platform"],
            profile_url=data["profile_url"],
            display_name=data["display_name"],
            unit=data["unit"],
            purposes=list(data["purposes"]),
            purpose_statement=data["purpose_statement"],
            target_audience=data["target_audience"],
            responsible=data["responsible"],
            deputy=data["deputy"],
        )

    @classmethod
    def initial_for(cls, account: Account) -> dict[str, Any]:
        return {
            "platform": account.platform,
            "profile_url": account.profile_url,
            "display_name": account.display_name,
            "unit": account.unit,
            "purposes": list(account.purposes.all()),
            "purpose_statement": account.purpose_statement,
            "target_audience": account.target_audience,
            "responsible": account.responsible,
            "deputy": account.deputy,
        }


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or handle"), required=False, max_length=100)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.order_by("name"), required=False, empty_label=_("All")
    )
    platform = forms.ModelChoiceField(
        label=_("Platform"), queryset=Platform.objects.all(), required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Account.Status.choices], required=False
    )
    review_due = forms.BooleanField(label=_("Review due"), required=False)


class StatusChangeForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=Account.Status.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the status changes. It is kept in the account's history."),
    )


class EditorForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"), queryset=active_users(), empty_label=_("Choose a person")
    )
    valid_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = active_users()  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = _person_label  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    purpose_met = forms.TypedChoiceField(
        label=_("Does the account still serve its purpose?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    is_active = forms.TypedChoiceField(
        label=_("Is the account kept up, with posts and answers?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    editors_ok = forms.TypedChoiceField(
        label=_("Are the editors the right people?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    decision = forms.ChoiceField(
        label=_("Decision"), choices=AccountReview.Decision.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    next_review_on = forms.DateField(
        label=_("Next review"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for one year from today."),
    )


class PlatformForm(forms.ModelForm):
    """What comms may say about a platform. What Sigill can do on it (capture by API, hide,
    delete, block) follows from its connector's code and is shown, not edited: a tick here would
    be a claim without the code behind it."""

    class Meta:
        model = Platform
        fields = [
            "name",
            "profile_url_pattern",
            "profile_url_template",
            "profile_text_limit",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean_profile_url_pattern(self) -> str:
        pattern: str = self.cleaned_data["profile_url_pattern"]
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise forms.ValidationError(
                _("The pattern is not a valid regular expression: %(error)s") % {"error": exc}
            ) from exc
        if "handle" not in compiled.groupindex and not {"user", "instance"} <= set(compiled.groupindex):
            raise forms.ValidationError(_("The pattern must capture the handle in a group named “handle”."))
        return pattern


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "One account per row, with the columns described below. At most %(size)s."
        ) % {"size": filesizeformat(importing.max_file_bytes())}
