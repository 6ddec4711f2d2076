"""Forms of the moderation screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sigill.compliance.models import CommentRule
from sigill.moderation.models import ACTS_NEEDING_REASON, DECIDABLE_ACTS, Act, Case, Removal
from sigill.registry.models import Account

BULK_ACTS = [(Act.KEEP, Act.KEEP.label), (Act.HIDE, Act.HIDE.label), (Act.DELETE, Act.DELETE.label)]


def reason_choices() -> list[tuple[str, Any]]:
    return [("", _("Choose a reason")), *CommentRule.choices]


class DecisionForm(forms.Form):
    act = forms.ChoiceField(label=_("Decision"), choices=DECIDABLE_ACTS, widget=forms.RadioSelect)
    removal = forms.ChoiceField(
        label=_("Reporting a threat or secret information: also on the platform"),
        choices=Removal.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "One decision reports the threat or marks the secret and takes the comment off the "
            "platform. Secret information must come off."
        ),
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=reason_choices,
        required=False,
        help_text=_(
            "Needed to hide, delete or block: the rule of the comment policy the comment breaks. "
            "The author is told of it."
        ),
    )
    provision = forms.CharField(
        label=_("Secrecy provision"),
        max_length=200,
        required=False,
        help_text=_("Needed for secret information, for example OSL 26 kap. 1 §."),
    )
    reply_text = forms.CharField(label=_("Reply"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BulkForm(forms.Form):
    cases = forms.ModelMultipleChoiceField(queryset=Case.objects.none(), label=_("Comments"))
    act = forms.ChoiceField(label=_("Decision for the chosen comments"), choices=BULK_ACTS)
    reason = forms.ChoiceField(label=_("Reason"), choices=reason_choices, required=False)

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("act") in ACTS_NEEDING_REASON and not cleaned.get("reason"):
            self.add_error("reason", _("Give the reason from the comment policy to hide or delete."))
        return cleaned


class QueueFilterForm(forms.Form):
    account = forms.ModelChoiceField(
        queryset=Account.objects.none(), label=_("Account"), required=False, empty_label=_("All accounts")
    )
    state = forms.ChoiceField(label=_("State"), choices=Case.State.choices, required=False)
    flagged = forms.BooleanField(label=_("Only comments with findings"), required=False)

    def __init__(self, *args: Any, accounts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]


class RegistrationForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference number"), max_length=60, help_text=_("For example KS 2026/0412.")
    )


class TimeTargetForm(forms.Form):
    hours = forms.IntegerField(label=_("Decide within (hours)"), min_value=1, max_value=720)
    weekends_count = forms.BooleanField(
        label=_("Weekends count"),
        required=False,
        help_text=_("Off: the clock stops from Saturday 00:00 to Monday 00:00 (Swedish time)."),
    )


class WordListForm(forms.Form):
    terms = forms.CharField(
        label=_("Terms"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Separate the terms with commas or line breaks. One form of a word covers its inflections; "
            "a term ending in * matches every word that begins with it."
        ),
    )
    note = forms.CharField(label=_("What changed, and why"), max_length=300)


class DraftForm(forms.Form):
    text = forms.CharField(label=_("The post"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8}))
    images = forms.IntegerField(label=_("Number of images in the post"), min_value=0, max_value=20, initial=0)
    alt_texts = forms.CharField(
        label=_("Image descriptions (alt text)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One line per image."),
    )
