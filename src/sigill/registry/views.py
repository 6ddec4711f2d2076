"""The registry's screens for staff: the account list, an account's page, its forms, and comms' lists."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from sigill.core.forms import add_service_errors
from sigill.core.policies import policy_for
from sigill.organisation.people import SignedInRequest
from sigill.registry import importing, selectors, services
from sigill.registry.forms import (
    AccountFilterForm,
    AccountForm,
    EditorForm,
    ImportForm,
    PlatformForm,
    ReviewForm,
    StatusChangeForm,
)
from sigill.registry.models import Account, EditorAssignment, Platform


@login_required
def account_list(request: SignedInRequest) -> HttpResponse:
    policy_for(Account).require(request.user, "view")
    form = AccountFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sort = request.GET.get("sort", "name")
    accounts = selectors.accounts_for(request.user, filters=filters, sort=sort)
    page = Paginator(accounts, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    without_sort = query.copy()
    without_sort.pop("sort", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "sort": sort,
        "sort_query": without_sort.urlencode(),
    }
    return render(request, "registry/account_list.html", context)


@login_required
def account_detail(request: SignedInRequest, slug: str) -> HttpResponse:
    account = selectors.account_for(request.user, slug=slug)
    return _account_page(request, account)


def _account_page(request: SignedInRequest, account: Account, **forms: Any) -> HttpResponse:
    context = {
        "account": account,
        "editors": selectors.editors_of(account),
        "history": account.status_changes.select_related("changed_by"),
        "reviews": account.reviews.select_related("reviewed_by")[:5],
        "transitions": [Account.Status(status) for status in Account.TRANSITIONS[account.status]],
        "missing_for_activation": services.missing_for_activation(account)
        if Account.Status.ACTIVE in Account.TRANSITIONS[account.status]
        else [],
        "status_form": forms.get("status_form") or StatusChangeForm(),
        "editor_form": forms.get("editor_form") or EditorForm(),
    }
    return render(request, "registry/account_detail.html", context, status=422 if forms else 200)


@login_required
def account_create(request: SignedInRequest) -> HttpResponse:
    policy_for(Account).require(request.user, "create")
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.create_account(data=form.to_data(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The account is registered as planned."))
            return redirect(account)
    status = 422 if form.errors else 200
    return render(request, "registry/account_form.html", {"form": form, "account": None}, status=status)


@login_required
def account_edit(request: SignedInRequest, slug: str) -> HttpResponse:
    account = selectors.account_for(request.user, slug=slug)
    policy_for(Account).require(request.user, "change", account)
    form = AccountForm(request.POST or None, initial=AccountForm.initial_for(account))
    if request.method == "POST" and form.is_valid():
        try:
            account = services.update_account(account=account, data=form.to_data(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect(account)
    status = 422 if form.errors else 200
    return render(request, "registry/account_form.html", {"form": form, "account": account}, status=status)


@require_POST
@login_required
def account_status(request: SignedInRequest, slug: str) -> HttpResponse:
    account = selectors.account_for(request.user, slug=slug)
    policy_for(Account).require(request.user, "change", account)
    form = StatusChangeForm(request.POST)
    if form.is_valid():
        try:
            account = services.change_status(
                account=account,
                to=form.cleaned_data["to"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The account is now “%(status)s”.") % {"status": account.get_status_display()}
            )
            return redirect(account)
    return _account_page(request, account, status_form=form)


@require_POST
@login_required
def editor_assign(request: SignedInRequest, slug: str) -> HttpResponse:
    account = selectors.account_for(request.user, slug=slug)
    policy_for(Account).require(request.user, "manage_editors", account)
    form = EditorForm(request.POST)
    if form.is_valid():
        try:
            assignment = services.assign_editor(
                account=account,
                user=form.cleaned_data["user"],
                by=request.user,
                valid_from=form.cleaned_data["valid_from"],
                valid_until=form.cleaned_data["valid_until"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(person)s is now an editor of the account.") % {"person": assignment.user}
            )
            return redirect(account)
    return _account_page(request, account, editor_form=form)


@require_POST
@login_required
def editor_revoke(request: SignedInRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(EditorAssignment.objects.select_related("account", "user"), pk=pk)
    policy_for(EditorAssignment).require(request.user, "revoke", assignment)
    services.revoke_editors(assignments=[assignment], by=request.user)
    messages.success(
        request, _("%(person)s is no longer an editor of the account.") % {"person": assignment.user}
    )
    return redirect(assignment.account)


@login_required
def access_review(request: SignedInRequest) -> HttpResponse:
    """Every editor with access, so comms can confirm or revoke them in bulk once a year."""
    policy_for(EditorAssignment).require(request.user, "view")
    assignments = selectors.current_editor_assignments()
    if request.method == "POST":
        chosen = assignments.filter(pk__in=request.POST.getlist("assignment"))
        if not chosen.exists():
            messages.error(request, _("Choose at least one editor first."))
        elif request.POST.get("action") == "revoke":
            count = services.revoke_editors(assignments=chosen, by=request.user, reason=_("Access review"))
            messages.success(
                request,
                ngettext("%(count)d editor revoked.", "%(count)d editors revoked.", count) % {"count": count},
            )
            return redirect("registry:access_review")
        else:
            count = services.confirm_editors(assignments=chosen, by=request.user)
            messages.success(
                request,
                ngettext("%(count)d editor confirmed.", "%(count)d editors confirmed.", count)
                % {"count": count},
            )
            return redirect("registry:access_review")
    return render(request, "registry/access_review.html", {"assignments": assignments})


@login_required
def reviews_due(request: SignedInRequest) -> HttpResponse:
    policy_for(Account).require(request.user, "view")
    return render(
        request, "registry/reviews_due.html", {"accounts": selectors.accounts_due_for_review(request.user)}
    )


@login_required
def account_review(request: SignedInRequest, slug: str) -> HttpResponse:
    account = selectors.account_for(request.user, slug=slug)
    policy_for(Account).require(request.user, "review", account)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.review_account(account=account, by=request.user, **form.cleaned_data)
        messages.success(request, _("The review is recorded."))
        return redirect(account)
    context = {"form": form, "account": account, "editors": selectors.editors_of(account)}
    return render(request, "registry/account_review.html", context, status=422 if form.errors else 200)


@login_required
def platform_list(request: SignedInRequest) -> HttpResponse:
    policy_for(Platform).require(request.user, "change")
    return render(request, "registry/platform_list.html", {"platforms": Platform.objects.all()})


@login_required
def platform_edit(request: SignedInRequest, slug: str) -> HttpResponse:
    platform = get_object_or_404(Platform, slug=slug)
    policy_for(Platform).require(request.user, "change", platform)
    form = PlatformForm(request.POST or None, instance=Platform.objects.get(pk=platform.pk))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        services.update_platform(platform=platform, by=request.user, changes=changes)
        messages.success(request, _("The facts about %(platform)s are saved.") % {"platform": platform.name})
        return redirect("registry:platforms")
    status = 422 if form.errors else 200
    return render(request, "registry/platform_form.html", {"form": form, "platform": platform}, status=status)


IMPORT_SESSION_KEY = "sigill_registry_import"


@login_required
def account_import(request: SignedInRequest) -> HttpResponse:
    """Upload → preview (every row error, nothing written) → confirm → import, all or nothing."""
    policy_for(Account).require(request.user, "create")
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and request.POST.get("confirm"):
        return _carry_out_import(request)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(importing.max_file_bytes() + 1)
        try:
            plan = importing.plan_import(importing.read_spreadsheet(upload.name, content))
        except importing.SpreadsheetError as error:
            form.add_error("file", str(error))
        else:
            context["plan"] = plan
            if plan.can_import:
                request.session[IMPORT_SESSION_KEY] = {
                    "name": upload.name,
                    "content": base64.b64encode(content).decode(),
                }
    status = 422 if form.errors or (context.get("plan") and context["plan"].errors) else 200
    return render(request, "registry/account_import.html", context, status=status)


def _carry_out_import(request: SignedInRequest) -> HttpResponse:
    stored = request.session.pop(IMPORT_SESSION_KEY, None)
    if stored is None:
        messages.error(request, _("Upload the file again: the preview has expired."))
        return redirect("registry:import")
    # The file is checked again: the registry may have changed since the preview.
    plan = importing.plan_import(
        importing.read_spreadsheet(stored["name"], base64.b64decode(stored["content"]))
    )
    if not plan.can_import:
        return render(
            request, "registry/account_import.html", {"form": ImportForm(), "plan": plan}, status=422
        )
    accounts = services.import_accounts(plan=plan, by=request.user)
    messages.success(
        request,
        ngettext("%(count)d account imported.", "%(count)d accounts imported.", len(accounts))
        % {"count": len(accounts)},
    )
    return redirect("registry:accounts")
