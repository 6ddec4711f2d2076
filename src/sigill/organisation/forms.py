from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sigill.organisation.models import Role, Unit
from sigill.organisation.selectors import active_users, open_units


class GrantMembershipForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"), queryset=active_users(), empty_label=_("Choose a person")
    )
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose a role")), *Role.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = active_users()  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = lambda person: f"{person} ({person.username})"  # type: ignore[attr-defined]


class UnitForm(forms.Form):
    prefix = "new"
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Code"),
        max_length=80,
        help_text=_(
            "A short name in lower-case letters, digits and hyphens, e.g. kultur-fritid. It cannot change."
        ),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Unit.Kind.choices)
    parent = forms.ModelChoiceField(
        label=_("Part of"), queryset=Unit.objects.none(), required=False, empty_label=_("Nothing: at the top")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = open_units().exclude(kind=Unit.Kind.SECTION)  # type: ignore[attr-defined]


class RenameUnitForm(forms.Form):
    prefix = "rename"
    name = forms.CharField(label=_("New name"), max_length=200)


class MoveUnitForm(forms.Form):
    prefix = "move"
    parent = forms.ModelChoiceField(
        label=_("Part of"), queryset=Unit.objects.none(), required=False, empty_label=_("Nothing: at the top")
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        places = open_units().exclude(kind=Unit.Kind.SECTION).exclude(path__startswith=unit.path)
        self.fields["parent"].queryset = places  # type: ignore[attr-defined]


class UnitFileForm(forms.Form):
    file = forms.FileField(
        label=_("File of units (CSV)"),
        help_text=_("In the columns described above."),
    )


class GroupMappingForm(forms.Form):
    group_id = forms.CharField(
        label=_("Group id"),
        max_length=200,
        help_text=_("The group's object id in Entra ID, e.g. 6f1c2d3e-0000-4000-8000-000000000001."),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), empty_label=_("Choose a unit")
    )
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose a role")), *Role.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = open_units().order_by("path")  # type: ignore[attr-defined]
