"""The platform log-in pages: which platforms are set up, an account's log-in, the way back."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sigill.connectors import selectors as connectors_selectors
from sigill.oauth import forms, selectors, services
from sigill.oauth.policies import grant_policy
from sigill.oauth.providers import LoginFailed, provider_for
from sigill.organisation.people import SignedInRequest


@login_required
def setup(request: SignedInRequest) -> HttpResponse:
    context = {
        "apps": selectors.platform_apps(request.user),
        "grants": selectors.grants(request.user),
        "linkedin": selectors.linkedin_version(),
        "today": selectors.today(),
    }
    return render(request, "oauth/setup.html", context)


@login_required
def account(request: SignedInRequest, slug: str) -> HttpResponse:
    return _account_page(request, slug)


def _account_page(
    request: SignedInRequest, slug: str, *, error: str = "", status: int = 200, form: Any = None
) -> HttpResponse:
    grant_policy.require(request.user, "view")
    found = connectors_selectors.account_for(request.user, slug=slug)
    provider = provider_for(found.platform.slug)
    context: dict[str, Any] = {
        "account": found,
        "provider": provider,
        "configured": provider is not None and provider.configured(),
        "grant": selectors.grant_of(found),
        "error": error,
        "app_password_form": form or forms.AppPasswordForm(),
    }
    response = render(request, "oauth/account.html", context, status=status)
    if provider is not None and context["configured"] and provider.kind != "app_password":
        # The log-in button's form is answered with a redirect to the platform, which the
        # page's Content-Security-Policy (form-action 'self') must allow, for this platform only.
        response._csp_update = {"form-action": [provider.login_origin(found)]}  # type: ignore[attr-defined]
    return response


@require_POST
@login_required
def start(request: SignedInRequest, slug: str) -> HttpResponse:
    grant_policy.require(request.user, "connect")
    found = connectors_selectors.account_for(request.user, slug=slug)
    try:
        address = services.begin(account=found, by=request.user, session=request.session)
    except ValidationError as error:
        return _account_page(request, slug, error=" ".join(error.messages), status=422)
    return redirect(address)


@require_GET
@login_required
def callback(request: SignedInRequest, platform: str) -> HttpResponse:
    try:
        grant = services.complete(
            platform=platform, by=request.user, session=request.session, params=request.GET
        )
    except LoginFailed as failure:
        return render(
            request, "oauth/failed.html", {"message": failure.message, "platform": platform}, status=400
        )
    messages.success(
        request,
        _("%(account)s is connected with %(platform)s: the first sync has been started.")
        % {"account": grant.account.display_name, "platform": grant.account.platform.name},
    )
    return redirect("oauth:account", slug=grant.account.slug)


@require_POST
@login_required
def app_password(request: SignedInRequest, slug: str) -> HttpResponse:
    grant_policy.require(request.user, "connect")
    found = connectors_selectors.account_for(request.user, slug=slug)
    form = forms.AppPasswordForm(request.POST)
    if not form.is_valid():
        return _account_page(request, slug, status=422, form=form)
    try:
        services.connect_with_app_password(
            account=found, by=request.user, app_password=form.cleaned_data["app_password"]
        )
    except (LoginFailed, ValidationError) as failure:
        message = failure.message if isinstance(failure, LoginFailed) else " ".join(failure.messages)
        return _account_page(request, slug, error=message, status=422)
    messages.success(
        request,
        _("%(account)s is connected with %(platform)s: the first sync has been started.")
        % {"account": found.display_name, "platform": found.platform.name},
    )
    return redirect("oauth:account", slug=found.slug)
