"""The page where every signed-in person creates and revokes their own API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sigill.api import selectors, services
from sigill.api.forms import TokenForm
from sigill.api.services import NewToken
from sigill.core.forms import add_service_errors
from sigill.organisation.people import SignedInRequest


@never_cache
@login_required
def tokens(request: SignedInRequest) -> HttpResponse:
    """The list and the form. A new token's secret is in this one response only: it is never put
    in the session, a message or a URL, and the page is not cached."""
    form = TokenForm(request.POST or None)
    created: NewToken | None = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_token(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=form.expires_at(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = TokenForm()
    context = {"form": form, "tokens": selectors.tokens_of(request.user), "created": created}
    return render(request, "api/tokens.html", context, status=422 if form.errors else 200)


@require_POST
@login_required
def revoke(request: SignedInRequest, pk: int) -> HttpResponse:
    token = selectors.token_for(request.user, pk=pk)
    services.revoke_token(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens:list")
