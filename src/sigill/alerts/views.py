"""The alerts screens: each person's preferences, the on-call rota, and comms' list of alerts sent."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sigill.alerts import selectors, services
from sigill.alerts.forms import PreferencesForm, RotaDayForm, RotaWeekForm
from sigill.alerts.models import Alert, RotaWeek
from sigill.core.forms import add_service_errors
from sigill.core.policies import policy_for
from sigill.organisation.people import SignedInRequest

ROTA_WEEKS = 8


@login_required
def preferences(request: SignedInRequest) -> HttpResponse:
    current = selectors.preference_of(request.user)
    initial = {name: getattr(current, name) for name in (*PreferencesForm.CHANNELS, *PreferencesForm.REASONS)}
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.set_preferences(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your alert choices are saved."))
        return redirect(reverse("alerts:preferences"))
    context = {
        "form": form,
        "on_call_next": _next_on_call(request),
        "may_see_alerts": policy_for(Alert).can(request.user, "view"),
    }
    return render(request, "alerts/preferences.html", context, status=422 if form.errors else 200)


def _next_on_call(request: SignedInRequest) -> list[dt.date]:
    """The days in the coming weeks on which this person is on call."""
    weeks = selectors.rota(timezone.localdate(), ROTA_WEEKS)
    return [day.day for week in weeks for day in week.days if day.person == request.user]


def _rota_page(
    request: SignedInRequest, week_form: RotaWeekForm | None = None, day_form: RotaDayForm | None = None
) -> HttpResponse:
    policy_for(RotaWeek).require(request.user, "view")
    may_change = policy_for(RotaWeek).can(request.user, "change")
    today = timezone.localdate()
    context = {
        "weeks": selectors.rota(today, ROTA_WEEKS),
        "today": today,
        "may_change": may_change,
        "week_form": week_form or RotaWeekForm(initial={"week_start": selectors.week_start(today)}),
        "day_form": day_form or RotaDayForm(initial={"day": today}),
    }
    invalid = bool((week_form and week_form.errors) or (day_form and day_form.errors))
    return render(request, "alerts/rota.html", context, status=422 if invalid else 200)


@login_required
def rota(request: SignedInRequest) -> HttpResponse:
    return _rota_page(request)


@require_POST
@login_required
def assign_week(request: SignedInRequest) -> HttpResponse:
    policy_for(RotaWeek).require(request.user, "change")
    form = RotaWeekForm(request.POST)
    if form.is_valid():
        try:
            services.assign_week(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The week's on-call person is saved."))
            return redirect(reverse("alerts:rota"))
    return _rota_page(request, week_form=form)


@require_POST
@login_required
def assign_day(request: SignedInRequest) -> HttpResponse:
    policy_for(RotaWeek).require(request.user, "change")
    form = RotaDayForm(request.POST)
    if form.is_valid():
        try:
            services.assign_day(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The day's on-call person is saved."))
            return redirect(reverse("alerts:rota"))
    return _rota_page(request, day_form=form)


@login_required
def alert_list(request: SignedInRequest) -> HttpResponse:
    policy_for(Alert).require(request.user, "view")
    return render(request, "alerts/list.html", {"alerts": selectors.recent_alerts()})
