"""Retention rules with their disposal preview and confirmation, legal holds, and the disposal
records."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sigill.core.forms import add_service_errors
from sigill.core.policies import policy_for
from sigill.organisation.people import SignedInRequest
from sigill.records import forms, selectors
from sigill.records.models import DisposalRecord, LegalHold, RetentionRule
from sigill.records.services import retention as services
from sigill.records.views.common import page


@login_required
def rules(request: SignedInRequest) -> HttpResponse:
    policy_for(RetentionRule).require(request.user, "view")
    form = forms.RuleForm(request.POST or None)
    may_manage = policy_for(RetentionRule).can(request.user, "manage")
    if request.method == "POST":
        policy_for(RetentionRule).require(request.user, "manage")
        if form.is_valid():
            try:
                rule = services.create_rule(by=request.user, **form.service_arguments())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The retention rule is saved."))
                return redirect(rule)
    found = selectors.rules_for(request.user).order_by("retired_at", "name")
    context = {"rules": found, "form": form, "may_manage": may_manage}
    return page(request, "records/rules.html", context, status=422 if form.errors else 200)


@login_required
def rule_detail(request: SignedInRequest, pk: int, status: int = 200, **bound: Any) -> HttpResponse:
    rule = selectors.rule_for(request.user, pk=pk)
    planned = services.preview(rule)
    user = request.user
    context = {
        "rule": rule,
        "preview": planned,
        "sample": selectors.sample_items(planned.item_ids),
        "may_dispose": policy_for(RetentionRule).can(user, "dispose", rule),
        "may_manage": policy_for(RetentionRule).can(user, "manage", rule),
        "confirm_form": forms.ConfirmDisposalForm(initial={"token": planned.token}),
        "disposals": rule.disposals.select_related("by"),
        "errors": bound.get("errors", []),
    }
    return page(request, "records/rule.html", context, status=status)


@require_POST
@login_required
def rule_dispose(request: SignedInRequest, pk: int) -> HttpResponse:
    rule = selectors.rule_for(request.user, pk=pk)
    policy_for(RetentionRule).require(request.user, "dispose", rule)
    form = forms.ConfirmDisposalForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Confirm from the preview."))
        record = services.dispose(rule=rule, token=form.cleaned_data["token"], by=request.user)
    except ValidationError as error:
        return rule_detail(request, pk, status=422, errors=error.messages)
    messages.success(request, _("%(count)d items are disposed of.") % {"count": record.items})
    return redirect("records:disposals")


@require_POST
@login_required
def rule_retire(request: SignedInRequest, pk: int) -> HttpResponse:
    rule = selectors.rule_for(request.user, pk=pk)
    services.retire_rule(rule=rule, by=request.user)
    messages.success(request, _("The rule is retired."))
    return redirect("records:rules")


@login_required
def holds(request: SignedInRequest) -> HttpResponse:
    policy_for(LegalHold).require(request.user, "view")
    form = forms.HoldForm(request.POST or None)
    if request.method == "POST":
        policy_for(LegalHold).require(request.user, "manage")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.place_hold(
                    by=request.user,
                    scope=data["scope"],
                    reason=data["reason"],
                    account=data["account"],
                    thread_root=data["thread_root"],
                    search={"text": data["words"]} if data["words"] else None,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The legal hold is placed."))
                return redirect("records:holds")
    context = {
        "holds": selectors.holds_for(request.user),
        "form": form,
        "release_form": forms.ReasonForm(),
        "may_manage": policy_for(LegalHold).can(request.user, "manage"),
    }
    return page(request, "records/holds.html", context, status=422 if form.errors else 200)


@require_POST
@login_required
def hold_release(request: SignedInRequest, pk: int) -> HttpResponse:
    hold = selectors.hold_for(request.user, pk=pk)
    policy_for(LegalHold).require(request.user, "manage", hold)
    form = forms.ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the hold is released."))
        services.release_hold(hold=hold, reason=form.cleaned_data["reason"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("records:holds"))
    messages.success(request, _("The legal hold is released."))
    return redirect("records:holds")


@login_required
def disposals(request: SignedInRequest) -> HttpResponse:
    policy_for(DisposalRecord).require(request.user, "view")
    return page(request, "records/disposals.html", {"disposals": selectors.disposals_for(request.user)})
