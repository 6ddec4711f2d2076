from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sigill.organisation.models import Role
from sigill.organisation.selectors import active_users


class GrantMembershipForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"), queryset=active_users(), empty_label=_("Choose a person")
    )
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose a role")), *Role.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = active_users()  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = lambda person: f"{person} ({person.username})"  # type: ignore[attr-defined]
