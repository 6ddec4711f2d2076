"""Closing an account: the list, starting one, and each closure's steps with their actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sigill.core.forms import add_service_errors
from sigill.core.policies import policy_for
from sigill.organisation.people import SignedInRequest
from sigill.records import forms, selectors
from sigill.records.models import AccountClosure
from sigill.records.services import closure as services
from sigill.records.views.common import page


@login_required
def closures(request: SignedInRequest) -> HttpResponse:
    policy_for(AccountClosure).require(request.user, "view")
    form = forms.StartClosureForm(request.POST or None)
    if request.method == "POST":
        policy_for(AccountClosure).require(request.user, "work")
        if form.is_valid():
            try:
                started = services.start(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The closure is started. Work through its steps."))
                return redirect(started)
    context = {
        "closures": selectors.closures_for(request.user),
        "form": form,
        "may_work": policy_for(AccountClosure).can(request.user, "work"),
    }
    return page(request, "records/closures.html", context, status=422 if form.errors else 200)


@login_required
def closure_detail(request: SignedInRequest, pk: int, status: int = 200, **bound: Any) -> HttpResponse:
    found = selectors.closure_for(request.user, pk=pk)
    context = {
        "closure": found,
        "steps": services.steps(found),
        "registry_closed": not found.is_open,
        "may_work": policy_for(AccountClosure).can(request.user, "work", found),
        "can_sync": services.can_sync(found.account),
        "can_snapshot": services.can_snapshot(found.account),
        "capture_form": bound.get("capture_form") or forms.ManualCaptureForm(),
        "close_form": bound.get("close_form") or forms.CloseAccountForm(),
    }
    return page(request, "records/closure.html", context, status=status)


@require_POST
@login_required
def closure_act(request: SignedInRequest, pk: int, action: str) -> HttpResponse:
    found = selectors.closure_for(request.user, pk=pk)
    policy_for(AccountClosure).require(request.user, "work", found)
    user = request.user
    if action == "capture":
        form = forms.ManualCaptureForm(request.POST)
        if form.is_valid():
            services.record_manual_capture(closure=found, note=form.cleaned_data["note"], by=user)
            return _done(request, found, _("The manual capture is recorded."))
        return closure_detail(request, pk, status=422, capture_form=form)
    if action == "close":
        close_form = forms.CloseAccountForm(request.POST)
        if close_form.is_valid():
            try:
                services.close(
                    closure=found, by=user, override_reason=close_form.cleaned_data["override_reason"]
                )
            except ValidationError as error:
                add_service_errors(close_form, error)
            else:
                return _done(request, found, _("The account is closed and gone from the public list."))
        return closure_detail(request, pk, status=422, close_form=close_form)
    if action in ("sync", "snapshot"):
        start = services.start_final_sync if action == "sync" else services.start_snapshot
        try:
            start(closure=found, by=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(found)
        return _done(
            request,
            found,
            _("Started: the step shows it as done once it is made. Refresh the page in a while."),
        )
    if action == "earchive":
        services.make_package(closure=found, by=user)
        return _done(request, found, _("The e-archive package is made."))
    if action == "credentials":
        count = services.retire_credentials(closure=found, by=user)
        return _done(request, found, _("%(count)d credentials retired.") % {"count": count})
    if action == "editors":
        count = services.revoke_editors(closure=found, by=user)
        return _done(request, found, _("%(count)d editors revoked.") % {"count": count})
    raise Http404


def _done(request: SignedInRequest, closure: AccountClosure, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(closure)
