"""Compliance screens for staff: the overview, an account's requirements and checks, the templates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sigill.compliance import checks, selectors, services, texts
from sigill.compliance.forms import SCREENSHOT_TYPES, MunicipalityForm, ProfileCheckForm, TemplateForm
from sigill.compliance.models import Municipality, Requirement, TextTemplate
from sigill.core.forms import add_service_errors
from sigill.core.policies import policy_for
from sigill.organisation.people import SignedInRequest
from sigill.registry.models import Account


@login_required
def overview(request: SignedInRequest) -> HttpResponse:
    policy_for(Account).require(request.user, "view")
    failing_only = request.GET.get("failing") == "1"
    accounts = (
        selectors.failing_accounts(request.user)
        if failing_only
        else selectors.with_due_checks(selectors.compliance_accounts(request.user))
    )
    context = {"accounts": accounts, "failing_only": failing_only}
    return render(request, "compliance/overview.html", context)


@login_required
def account(request: SignedInRequest, slug: str) -> HttpResponse:
    [account] = selectors.with_due_checks([selectors.account_for(request.user, slug=slug)])
    check = selectors.latest_check(account)
    results = {item.requirement: item for item in check.items.all()} if check else {}
    roomy = selectors.has_room_for_full_text(account)
    policy_url = selectors.policy_url(account)
    requirements = [
        {
            "code": code,
            "label": code.label,
            "how": checks.how_to_meet(code, account, roomy=roomy, policy_url=policy_url),
            "item": results.get(code),
        }
        for code in Requirement
    ]
    about = selectors.about_text(account)
    applied = selectors.applied_text_of(account)
    context = {
        "account": account,
        "check": check,
        "requirements": requirements,
        "about": about,
        "applied": applied,
        "outdated": applied is None or applied.text != about.text,
        "policy_url": policy_url,
        "may_edit": policy_for(Account).can(request.user, "edit_content", account),
        "history": selectors.checks_of(account)[:10],
        "reports": selectors.open_reports_for([account]),
    }
    return render(request, "compliance/account.html", context)


@login_required
def check(request: SignedInRequest, slug: str) -> HttpResponse:
    account = selectors.account_for(request.user, slug=slug, action="edit_content")
    form = ProfileCheckForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_check(
                account=account,
                by=request.user,
                judgements=form.judgements(),
                profile_text=form.cleaned_data["profile_text"],
                profile_link=form.cleaned_data["profile_link"],
                screenshot=form.cleaned_data["screenshot"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The check is recorded."))
            return redirect("compliance:account", slug=account.slug)
    context = {"account": account, "form": form, "policy_url": selectors.policy_url(account)}
    return render(request, "compliance/check.html", context, status=422 if form.errors else 200)


@login_required
def evidence(request: SignedInRequest, pk: int) -> HttpResponse:
    check = selectors.check_for(request.user, pk=pk)
    if not check.screenshot:
        raise Http404("The check has no screenshot")
    with check.screenshot.open("rb") as screenshot:
        content = screenshot.read()
    kind = next((kind for magic, kind in SCREENSHOT_TYPES.items() if content.startswith(magic)), None)
    return HttpResponse(content, content_type=f"image/{kind}" if kind else "application/octet-stream")


@require_POST
@login_required
def text_applied(request: SignedInRequest, slug: str) -> HttpResponse:
    account = selectors.account_for(request.user, slug=slug, action="edit_content")
    services.record_text_applied(account=account, by=request.user)
    messages.success(request, _("Noted: the profile carries the current about text."))
    return redirect("compliance:account", slug=account.slug)


@login_required
def template_list(request: SignedInRequest) -> HttpResponse:
    policy_for(TextTemplate).require(request.user, "change")
    context = {
        "templates": selectors.template_rows(),
        "outdated": selectors.outdated_profiles(request.user),
        "placeholders": texts.PLACEHOLDERS,
    }
    return render(request, "compliance/templates.html", context)


@login_required
def template_edit(request: SignedInRequest, code: str) -> HttpResponse:
    policy_for(TextTemplate).require(request.user, "change")
    if code not in texts.DEFAULT_TEMPLATES:
        raise Http404("No such template")
    form = TemplateForm(request.POST or None, initial={"body": selectors.templates()[code]})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_template(code=code, body=form.cleaned_data["body"], by=request.user)
        except ValidationError as error:
            form.add_error("body", error.message_dict.get("body", error.messages))
        else:
            messages.success(
                request, _("The template is saved. The accounts below need their profile updated.")
            )
            return redirect(reverse("compliance:templates") + "#outdated-heading")
    context = {"form": form, "name": texts.TEMPLATE_NAMES[code], "placeholders": texts.PLACEHOLDERS}
    return render(request, "compliance/template_form.html", context, status=422 if form.errors else 200)


@login_required
def municipality(request: SignedInRequest) -> HttpResponse:
    policy_for(Municipality).require(request.user, "change")
    form = MunicipalityForm(request.POST or None, instance=selectors.municipality())
    if request.method == "POST" and form.is_valid():
        services.update_municipality(by=request.user, changes=form.cleaned_data)
        messages.success(request, _("The contact details are saved."))
        return redirect("compliance:templates")
    return render(request, "compliance/municipality.html", {"form": form}, status=422 if form.errors else 200)
