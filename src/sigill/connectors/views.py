"""The capture pages: every account's capture state, one account's coverage, connecting it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sigill.archive.capture import Kind
from sigill.connectors import forms, selectors, services, tasks
from sigill.connectors.base import has_connector
from sigill.connectors.policies import connection_policy
from sigill.connectors.publish import media as outgoing_files
from sigill.core.forms import add_service_errors
from sigill.core.policies import policy_for
from sigill.organisation.people import SignedInRequest
from sigill.registry.models import Account


@login_required
def overview(request: SignedInRequest) -> HttpResponse:
    policy_for(Account).require(request.user, "view")
    gaps = {gap.account.pk for gap in selectors.long_gaps(selectors.visible_accounts(request.user))}
    rows = [
        {
            "account": found,
            "connection": getattr(found, "connection", None),
            "has_connector": has_connector(found.platform.slug),
            "long_gap": found.pk in gaps,
        }
        for found in selectors.accounts_for(request.user)
    ]
    context = {
        "rows": rows,
        "may_import": connection_policy.can(request.user, "import"),
    }
    if connection_policy.can(request.user, "manage"):
        context["refused_webhooks"] = selectors.refused_webhook_requests(hours=24)
    return render(request, "connectors/overview.html", context)


@login_required
def account(request: SignedInRequest, slug: str) -> HttpResponse:
    found = selectors.account_for(request.user, slug=slug)
    return _account_page(request, found)


def _account_page(
    request: SignedInRequest, found: Account, *, connect_form: Any = None, status: int = 200
) -> HttpResponse:
    user = request.user
    connection = selectors.connection_of(found)
    period = forms.PeriodForm(request.GET or None)
    since, until = period.period()
    may_manage = connection_policy.can(user, "manage")
    context = {
        "account": found,
        "connection": connection,
        "has_connector": has_connector(found.platform.slug),
        "platform_login": selectors.platform_login_set_up(found.platform.slug),
        "period_form": period,
        "coverage": selectors.coverage(found, since=since, until=until),
        "may_manage": may_manage,
        "may_import": selectors.import_targets(user).filter(pk=found.pk).exists(),
        "connect_form": connect_form or (forms.ConnectForm(instance=connection) if may_manage else None),
    }
    return render(request, "connectors/account.html", context, status=status)


@require_POST
@login_required
def connect(request: SignedInRequest, slug: str) -> HttpResponse:
    found = selectors.account_for(request.user, slug=slug)
    connection_policy.require(request.user, "manage")
    form = forms.ConnectForm(request.POST, instance=selectors.connection_of(found))
    if form.is_valid():
        try:
            services.connect(account=found, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The connection is saved."))
            return redirect("connectors:account", slug=found.slug)
    return _account_page(request, found, connect_form=form, status=422)


@require_POST
@login_required
def reconnect(request: SignedInRequest, slug: str) -> HttpResponse:
    found = selectors.account_for(request.user, slug=slug)
    connection_policy.require(request.user, "manage")
    connection = selectors.connection_of(found)
    if connection is None:
        raise Http404
    services.reconnect(connection=connection, by=request.user)
    tasks.sync_account.enqueue(found.pk)
    messages.success(request, _("Reconnected: a sync has been started."))
    return redirect("connectors:account", slug=found.slug)


@require_POST
@login_required
def sync_now(request: SignedInRequest, slug: str) -> HttpResponse:
    found = selectors.account_for(request.user, slug=slug)
    connection_policy.require(request.user, "manage")
    if not settings.PLATFORM_SYNC:
        messages.error(
            request, _("This server does not sync with the platforms (SIGILL_PLATFORM_SYNC is off).")
        )
    elif selectors.connection_of(found) is None:
        messages.error(request, _("Connect the account to its platform first."))
    else:
        tasks.sync_account.enqueue(found.pk)
        messages.success(request, _("A sync has been started; refresh the page in a while."))
    return redirect(reverse("connectors:account", kwargs={"slug": found.slug}))


@login_required
def import_export(request: SignedInRequest) -> HttpResponse:
    """Upload an export; the worker imports it and the run's page shows the progress and report."""
    connection_policy.require(request.user, "import")
    accounts = selectors.import_targets(request.user)
    initial = {"account": request.GET.get("account")} if request.GET.get("account") else None
    form = forms.ImportForm(request.POST or None, request.FILES or None, accounts=accounts, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["export"]
        run = services.receive_upload(account=form.cleaned_data["account"], upload=upload, by=request.user)
        return redirect("connectors:import_run", pk=run.pk)
    return render(request, "connectors/import.html", {"form": form}, status=422 if form.errors else 200)


@require_POST
@login_required
def import_retry(request: SignedInRequest, pk: str) -> HttpResponse:
    run = selectors.run_for(request.user, pk=pk)
    try:
        again = services.retry_import(run=run, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("connectors:import_run", pk=run.pk)
    return redirect("connectors:import_run", pk=again.pk)


@require_POST
@login_required
def import_discard(request: SignedInRequest, pk: str) -> HttpResponse:
    run = selectors.run_for(request.user, pk=pk)
    try:
        services.discard_upload(run=run, by=request.user)
        messages.success(request, _("The kept file was discarded."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("connectors:import_run", pk=run.pk)


@login_required
def import_run(request: SignedInRequest, pk: str) -> HttpResponse:
    run = selectors.run_for(request.user, pk=pk)
    template = (
        "connectors/partials/_import_run.html"
        if request.headers.get("HX-Request")
        else "connectors/import_run.html"
    )
    found = [(Kind(kind).label, count) for kind, count in run.details.get("found", {}).items()]
    return render(request, template, {"run": run, "found": found})


@require_GET
def outgoing_media(request: HttpRequest, token: str) -> HttpResponse:
    """A file of a post being published, for a platform that fetches media by address (Instagram,
    Threads). No sign-in: the platform has none; the signed, expiring address is the key, and it
    answers only until the post is published."""
    found = outgoing_files.open_media(token)
    if found is None:
        raise Http404
    content, content_type = found
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
