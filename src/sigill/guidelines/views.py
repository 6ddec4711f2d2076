"""The guideline's screens: the version in force, older versions, publishing, and the follow-up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sigill.core.forms import add_service_errors
from sigill.core.policies import policy_for
from sigill.guidelines import selectors, services
from sigill.guidelines.forms import VersionForm
from sigill.guidelines.models import GuidelineVersion
from sigill.guidelines.rendering import render_markdown
from sigill.organisation.people import SignedInRequest


def _version_page(request: SignedInRequest, version: GuidelineVersion | None) -> HttpResponse:
    current = selectors.current_version()
    context = {
        "version": version,
        "body": render_markdown(version.body) if version else "",
        "is_current": version is not None and version == current,
        "is_coming": version is not None and version.in_force_from > timezone.localdate(),
        "acknowledged": version is not None and selectors.has_acknowledged(request.user, version),
        "versions": selectors.versions_for(request.user),
        "current": current,
    }
    return render(request, "guidelines/version.html", context)


@login_required
def current(request: SignedInRequest) -> HttpResponse:
    return _version_page(request, selectors.current_version())


@login_required
def version(request: SignedInRequest, number: int) -> HttpResponse:
    return _version_page(request, selectors.version_for(request.user, number=number))


@require_POST
@login_required
def acknowledge(request: SignedInRequest, number: int) -> HttpResponse:
    version = selectors.version_for(request.user, number=number)
    try:
        services.acknowledge(version=version, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Thank you. You have acknowledged version %(number)d.") % {"number": number}
        )
    return redirect(version)


@login_required
def publish(request: SignedInRequest) -> HttpResponse:
    policy_for(GuidelineVersion).require(request.user, "publish")
    form = VersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.publish_version(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Version %(number)d is published.") % {"number": version.number})
            return redirect(version)
    status = 422 if form.errors else 200
    return render(request, "guidelines/publish.html", {"form": form}, status=status)


@login_required
def report(request: SignedInRequest) -> HttpResponse:
    policy_for(GuidelineVersion).require(request.user, "follow_up")
    version = selectors.current_version()
    if version is None:
        raise Http404("No guideline version is in force")
    rows = selectors.acknowledgement_report(version)
    missing = [row for row in rows if row.acknowledged_at is None]
    context = {"version": version, "rows": rows, "missing": len(missing)}
    return render(request, "guidelines/report.html", context)
