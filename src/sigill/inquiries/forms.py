"""The e-service form ("forward a question"), the queue's forms and the search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigill.inquiries import selectors
from sigill.inquiries.models import Inquiry


class ForwardForm(forms.Form):
    asked_where = forms.CharField(
        label=_("Where was it asked?"),
        max_length=300,
        help_text=_("E.g. a comment on the library's Facebook page, a private message, at a meeting."),
    )
    question = forms.CharField(
        label=_("The question"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("As it was asked. Leave out personal data the contact center does not need."),
    )
    asker_contact = forms.CharField(
        label=_("The asker's contact"),
        max_length=300,
        required=False,
        help_text=_("An e-mail address or phone number, if the asker gave one and wants an answer."),
    )
    asked_at = forms.DateTimeField(
        label=_("When was it asked?"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["asked_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class AssignForm(forms.Form):
    prefix = "assign"

    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=selectors.queue_workers())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignee = self.fields["assignee"]
        assignee.queryset = selectors.queue_workers()  # type: ignore[attr-defined]
        assignee.label_from_instance = lambda person: f"{person} ({person.username})"  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    prefix = "answer"  # the answer and the close forms share a page; their ids must differ

    text = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The answer as given to the asker."),
    )


class CloseForm(forms.Form):
    prefix = "close"

    text = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required when you close an inquiry that has not been answered."),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All")), *Inquiry.State.choices], required=False
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=[("", _("All")), *Inquiry.Source.choices], required=False
    )
