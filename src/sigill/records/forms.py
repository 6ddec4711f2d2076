"""The records' forms: disclosure requests and their review; retention, holds and disposal; the
e-archive export; account closure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigill.archive.capture import Kind
from sigill.records.models import DisclosureRequest, LegalHold
from sigill.registry.models import Account, Platform

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"})
PROVISION_HELP = _("The provision of the Public Access to Information and Secrecy Act, e.g. OSL 26 kap. 1 §.")


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=DisclosureRequest.Kind.choices, initial=DisclosureRequest.Kind.PUBLIC_RECORDS
    )
    received_at = forms.DateTimeField(
        label=_("Received (Swedish time)"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=DATETIME,
    )
    channel = forms.ChoiceField(label=_("Received by"), choices=DisclosureRequest.Channel.choices)
    description = forms.CharField(
        label=_("What is asked for"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    requester_name = forms.CharField(
        label=_("Requester's name"),
        required=False,
        max_length=200,
        help_text=_("Anyone may ask anonymously: leave empty if no name is given."),
    )
    requester_contact = forms.CharField(
        label=_("Requester's contact"),
        required=False,
        max_length=300,
        help_text=_("Where the decision is sent: e-mail or postal address."),
    )
    subject_name = forms.CharField(
        label=_("The person it concerns"),
        required=False,
        max_length=200,
        help_text=_("For an access request under the GDPR: the name the person writes under or is named by."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("received_at", timezone.localtime().replace(second=0))
        super().__init__(*args, **kwargs)


class RedactForm(forms.Form):
    passage = forms.CharField(
        label=_("Passage to black out"),
        max_length=2000,
        help_text=_("Copy it exactly from the record's text; every place it stands is blacked out."),
    )
    provision = forms.CharField(label=_("Secrecy provision"), max_length=200, help_text=PROVISION_HELP)


class WithholdForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("The secrecy provision or other ground the whole record is withheld on."),
    )


class DecideForm(forms.Form):
    note = forms.CharField(
        label=_("Note in the decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Printed in the cover letter, e.g. how the records were searched."),
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(label=_("Why it is closed"), max_length=1000)


def local_day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    account = forms.ModelChoiceField(
        label=_("Account"), queryset=Account.objects.none(), required=False, empty_label=_("Any")
    )
    platform = forms.ModelChoiceField(
        label=_("Platform"), queryset=Platform.objects.all(), required=False, empty_label=_("Any")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any")), *Kind.choices], required=False)
    keep = forms.IntegerField(label=_("Keep for"), min_value=1, max_value=1200, required=False)
    unit = forms.ChoiceField(
        label=_("Unit"), choices=[("months", _("months")), ("years", _("years"))], initial="years"
    )
    permanent = forms.BooleanField(label=_("Keep permanently (deliver to the e-archive)"), required=False)
    decision = forms.CharField(
        label=_("Decision it rests on"),
        max_length=300,
        help_text=_("E.g. the information management plan's paragraph or the archive authority's decision."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        accounts = Account.objects.select_related("platform").order_by("display_name")
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        keep = data["keep"]
        months = keep * 12 if keep and data["unit"] == "years" else keep
        return {
            "name": data["name"],
            "account": data["account"],
            "platform": data["platform"],
            "kind": data["kind"],
            "keep_months": months,
            "permanent": data["permanent"],
            "decision": data["decision"],
        }


class HoldForm(forms.Form):
    scope = forms.ChoiceField(label=_("What is held"), choices=LegalHold.Scope.choices)
    account = forms.ModelChoiceField(
        label=_("Account"), queryset=Account.objects.none(), required=False, empty_label=_("Any")
    )
    thread_root = forms.CharField(
        label=_("Thread"),
        required=False,
        max_length=200,
        help_text=_("For a thread: the platform id of its first post (shown on the item's page)."),
    )
    words = forms.CharField(
        label=_("Words"),
        required=False,
        max_length=200,
        help_text=_("For a search result: every item these words find now is held."),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        accounts = Account.objects.select_related("platform").order_by("display_name")
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class ConfirmDisposalForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class EArchiveForm(forms.Form):
    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.none())
    since = forms.DateField(label=_("Published from"), required=False, widget=DATE)
    until = forms.DateField(label=_("Published until"), required=False, widget=DATE)
    only_kept = forms.BooleanField(
        label=_("Only the records to keep (kept permanently, or under no rule)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        accounts = Account.objects.select_related("platform").order_by("display_name")
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date comes before the start date."))
        return cleaned


class StartClosureForm(forms.Form):
    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.none())
    reason = forms.CharField(label=_("Why the account is closed"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        accounts = Account.objects.exclude(status=Account.Status.CLOSED).select_related("platform")
        self.fields["account"].queryset = accounts.order_by("display_name")  # type: ignore[attr-defined]


class ManualCaptureForm(forms.Form):
    note = forms.CharField(
        label=_("What was captured by hand"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. a rendered snapshot of the profile and where it is kept."),
    )


class CloseAccountForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Why close with steps open"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only needed while a step is open; it is logged."),
    )


MAX_PACKAGE_BYTES = 20 * 1024 * 1024


class VerifyForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=40,
        help_text=_("As printed beside the record, e.g. SIG-123-1."),
    )
    seal = forms.CharField(
        label=_("Seal (SHA-256)"),
        required=False,
        max_length=64,
        help_text=_("The 64 characters printed as the seal."),
    )
    package = forms.FileField(
        label=_("Or the package's JSON file"), required=False, help_text=_("Every record in it is checked.")
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("package")
        if upload is not None and upload.size > MAX_PACKAGE_BYTES:
            self.add_error("package", _("The file is larger than 20 MB."))
        if upload is None and not (cleaned.get("reference") and cleaned.get("seal")):
            raise forms.ValidationError(
                _("Give a reference and its seal, or choose the package's JSON file.")
            )
        return cleaned
