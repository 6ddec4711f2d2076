"""The e-service's screens: apply, follow, review, and comms' overview."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sigill.applications import selectors, services
from sigill.applications.forms import ApplicationForm, DecisionForm, OverviewFilterForm, TickForm
from sigill.applications.models import Application
from sigill.core.forms import add_service_errors
from sigill.core.policies import policy_for
from sigill.organisation.people import SignedInRequest


@login_required
def application_list(request: SignedInRequest) -> HttpResponse:
    context = {
        "own": selectors.own_applications(request.user),
        "waiting": selectors.waiting_for(request.user),
    }
    return render(request, "applications/list.html", context)


def _save_or_submit(request: SignedInRequest, application: Application | None) -> HttpResponse:
    initial = ApplicationForm.initial_for(application) if application else {}
    form = ApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        application = services.save_draft(data=form.to_data(), by=request.user, application=application)
        if request.POST.get("action") != "submit":
            messages.success(request, _("The draft is saved. You can come back and finish it later."))
            return redirect(application)
        try:
            services.submit(application=application, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The application is submitted to the unit manager."))
            return redirect(application)
    context = {"form": form, "application": application}
    return render(request, "applications/form.html", context, status=422 if form.errors else 200)


@login_required
def application_create(request: SignedInRequest) -> HttpResponse:
    policy_for(Application).require(request.user, "create")
    return _save_or_submit(request, None)


@login_required
def application_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(request.user, pk=pk)
    policy_for(Application).require(request.user, "edit", application)
    if application.state not in Application.EDITABLE_STATES:
        messages.error(request, _("The application can no longer be changed."))
        return redirect(application)
    return _save_or_submit(request, application)


@login_required
def application_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(request.user, pk=pk)
    return _detail(request, application, DecisionForm())


def _detail(
    request: SignedInRequest, application: Application, form: DecisionForm, status: int = 200
) -> HttpResponse:
    policy = policy_for(Application)
    context = {
        "application": application,
        "steps": application.steps.select_related("actor"),
        "form": form,
        "may_edit": policy.can(request.user, "edit", application)
        and application.state in Application.EDITABLE_STATES,
        "may_review": policy.can(request.user, "review", application),
        "may_withdraw": policy.can(request.user, "withdraw", application)
        and application.state in Application.OPEN_STATES,
        "checklist": selectors.checklist_for(application.account) if application.account else [],
        "tick_form": TickForm(),
    }
    return render(request, "applications/detail.html", context, status=status)


@require_POST
@login_required
def decide(request: SignedInRequest, pk: int) -> HttpResponse:
    """One step of the workflow; the service says no, with a reason, to a wrong step or person."""
    application = selectors.application_for(request.user, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            services.take_step(
                application=application, action=action, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            application.refresh_from_db()
            messages.success(
                request,
                _("Done: the application is now “%(state)s”.") % {"state": application.get_state_display()},
            )
            return redirect(application)
    return _detail(request, application, form, status=422)


@require_POST
@login_required
def tick(request: SignedInRequest, pk: int, item: str) -> HttpResponse:
    application = selectors.application_for(request.user, pk=pk)
    policy_for(Application).require(request.user, "tick", application)
    form = TickForm(request.POST)
    if form.is_valid() and application.account is not None:
        try:
            services.tick(
                account=application.account, item=item, note=form.cleaned_data["note"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The item is ticked."))
    else:
        messages.error(request, _("Say how you know it is done."))
    return redirect(application)


@login_required
def overview(request: SignedInRequest) -> HttpResponse:
    policy_for(Application).require(request.user, "overview")
    form = OverviewFilterForm(request.GET or None)
    applications = selectors.applications_for(
        request.user, filters=form.cleaned_data if form.is_valid() else {}
    )
    context = {
        "form": form,
        "page": Paginator(applications, 50).get_page(request.GET.get("page")),
        "lead_time": selectors.lead_time(applications),
    }
    return render(request, "applications/overview.html", context)
