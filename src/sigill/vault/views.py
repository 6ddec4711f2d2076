"""The vault's pages. Every response is ``Cache-Control: no-store``; revealed values go out only in
the response to the reveal itself and hide themselves in the browser after a minute."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from sigill.core import two_factor
from sigill.core.policies import policy_for
from sigill.organisation.people import SignedInRequest
from sigill.registry.models import Account
from sigill.vault import selectors, services
from sigill.vault.crypto import SealBrokenError
from sigill.vault.forms import CredentialForm, DeputyForm, ExportForm, ReasonForm, RevealForm
from sigill.vault.keys import VaultKeyError
from sigill.vault.models import FIELD_LABELS, Credential, VaultDeputy

View = Callable[..., HttpResponse]


def vault_view(view: View) -> View:
    """Signed in, never cached, and the posted secrets kept out of error reports."""
    return login_required(never_cache(sensitive_post_parameters()(view)))


def _recent(request: SignedInRequest) -> bool:
    return two_factor.verified_within(request, settings.VAULT_RECHECK_SECONDS)


def _recheck(request: SignedInRequest, next_url: str) -> HttpResponse:
    """Send the person to a fresh two-factor check and back to ``next_url``."""
    target = f"{reverse('core:two_factor')}?{urlencode({'recheck': 1, 'next': next_url})}"
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return HttpResponseRedirect(target)


def _credential(request: SignedInRequest, pk: Any, action: str = "view") -> Credential:
    credential = get_object_or_404(Credential.objects.select_related("account__platform"), pk=pk)
    policy_for(Credential).require(request.user, action, credential)
    return credential


def _account(slug: str) -> Account:
    return get_object_or_404(Account.objects.select_related("platform"), slug=slug)


def _open_failed(request: SignedInRequest, error: Exception) -> HttpResponse:
    return render(request, "vault/open_failed.html", {"error": error}, status=503)


@vault_view
def index(request: SignedInRequest) -> HttpResponse:
    policy_for(Credential).require(request.user, "view")
    context = {
        "accounts": selectors.accounts_with_credentials(request.user),
        "due_count": len(selectors.rotation_due(request.user)),
    }
    return render(request, "vault/index.html", context)


@vault_view
def account_detail(request: SignedInRequest, slug: str) -> HttpResponse:
    policy_for(Credential).require(request.user, "view")
    account = _account(slug)
    context = {
        "account": account,
        "credentials": selectors.credentials_of(request.user, account),
        "history": selectors.reveal_history(account),
        "due": {due.credential.pk: due.reasons for due in selectors.rotation_due(request.user)},
    }
    return render(request, "vault/account.html", context)


def _credential_page(
    request: SignedInRequest,
    form: CredentialForm,
    account: Account,
    save: Callable[[dict[str, Any]], object],
    done: str,
    credential: Credential | None = None,
) -> HttpResponse:
    """The deposit and change form: save when valid, otherwise show it again with its errors."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except (VaultKeyError, SealBrokenError) as error:
            return _open_failed(request, error)
        else:
            messages.success(request, done)
            return redirect("vault:account", slug=account.slug)
    context = {"account": account, "credential": credential, "form": form}
    return render(request, "vault/credential_form.html", context, status=422 if form.errors else 200)


@vault_view
@sensitive_variables()
def deposit(request: SignedInRequest, slug: str) -> HttpResponse:
    policy_for(Credential).require(request.user, "deposit")
    account = _account(slug)
    form = CredentialForm(request.POST or None, request.FILES or None)

    def save(data: dict[str, Any]) -> object:
        return services.deposit_credential(
            account=account, by=request.user, kind=data["kind"], **form.described()
        )

    return _credential_page(request, form, account, save, _("The credential is sealed in the vault."))


@vault_view
@sensitive_variables()
def edit(request: SignedInRequest, pk: Any) -> HttpResponse:
    credential = _credential(request, pk, "change")
    form = CredentialForm(request.POST or None, request.FILES or None, credential=credential)

    def save(data: dict[str, Any]) -> object:
        return services.change_credential(
            credential=credential, by=request.user, reason=data["reason"], **form.described()
        )

    return _credential_page(
        request, form, credential.account, save, _("The credential is changed."), credential=credential
    )


@vault_view
@sensitive_variables()
def reveal(request: SignedInRequest, pk: Any) -> HttpResponse:
    """GET: the form (after a fresh two-factor check). POST: the value, once, in a self-hiding fragment."""
    credential = get_object_or_404(Credential.objects.select_related("account__platform"), pk=pk)
    form = RevealForm(request.POST or None, credential=credential)
    template = "vault/reveal.html"
    if request.method == "GET":
        policy_for(Credential).require(request.user, "reveal", credential)
        if not _recent(request):
            return _recheck(request, request.get_full_path())
        return render(request, template, {"credential": credential, "form": form})
    try:
        revealed = services.reveal(
            credential=credential,
            field_name=request.POST.get("field", ""),
            by=request.user,
            reason=request.POST.get("reason", ""),
            recently_verified=_recent(request),
        )
    except services.RecheckRequired:
        return _recheck(request, reverse("vault:reveal", kwargs={"pk": credential.pk}))
    except ValidationError as error:
        if form.is_valid():
            form.add_error(None, error)
        return render(request, template, {"credential": credential, "form": form}, status=422)
    except (VaultKeyError, SealBrokenError) as error:
        return _open_failed(request, error)
    context = {
        "credential": credential,
        "revealed": revealed,
        "label": FIELD_LABELS[revealed.field],
        "hide_after": settings.VAULT_REVEAL_SECONDS,
    }
    if request.headers.get("HX-Request"):
        return render(request, "vault/partials/_revealed.html", context)
    return render(request, template, {**context, "form": RevealForm(credential=credential)})


@require_POST
@vault_view
@sensitive_variables()
def totp_code(request: SignedInRequest, pk: Any) -> HttpResponse:
    """The current two-factor code of a credential, with its countdown; never the secret."""
    credential = get_object_or_404(Credential.objects.select_related("account"), pk=pk)
    form = ReasonForm(request.POST)
    try:
        shown = services.show_totp_code(
            credential=credential,
            by=request.user,
            reason=request.POST.get("reason", ""),
            recently_verified=_recent(request),
        )
    except services.RecheckRequired:
        return _recheck(request, reverse("vault:reveal", kwargs={"pk": credential.pk}))
    except ValidationError as error:
        if form.is_valid():
            form.add_error(None, error)
        context = {"credential": credential, "form": RevealForm(credential=credential), "code_form": form}
        return render(request, "vault/reveal.html", context, status=422)
    except (VaultKeyError, SealBrokenError) as error:
        return _open_failed(request, error)
    context = {"credential": credential, "shown": shown}
    if request.headers.get("HX-Request"):
        return render(request, "vault/partials/_code.html", context)
    return render(request, "vault/reveal.html", {**context, "form": RevealForm(credential=credential)})


@require_POST
@vault_view
def copied(request: SignedInRequest, pk: Any) -> HttpResponse:
    """The browser copied a revealed value to the clipboard: audit it under the reveal's reason."""
    credential = _credential(request, pk, "reveal")
    try:
        entry_id = int(request.POST.get("reveal", ""))
    except ValueError:
        return HttpResponse(status=400)
    services.record_copy(credential=credential, by=request.user, reveal_entry_id=entry_id)
    return HttpResponse(status=204)


@vault_view
def generate_password(request: SignedInRequest) -> HttpResponse:
    policy_for(Credential).require(request.user, "deposit")
    return render(request, "vault/partials/_generated.html", {"password": services.generate_password()})


@vault_view
def rotation_due(request: SignedInRequest) -> HttpResponse:
    policy_for(Credential).require(request.user, "view")
    return render(request, "vault/rotation_due.html", {"due": selectors.rotation_due(request.user)})


def _deputies_page(request: SignedInRequest, form: DeputyForm, status: int = 200) -> HttpResponse:
    context = {"deputies": selectors.current_deputies(), "form": form}
    return render(request, "vault/deputies.html", context, status=status)


@vault_view
def deputies(request: SignedInRequest) -> HttpResponse:
    policy_for(VaultDeputy).require(request.user, "view")
    return _deputies_page(request, DeputyForm())


@require_POST
@vault_view
def name_deputy(request: SignedInRequest) -> HttpResponse:
    policy_for(VaultDeputy).require(request.user, "name")
    form = DeputyForm(request.POST)
    if form.is_valid():
        try:
            services.name_deputy(user=form.cleaned_data["user"], by=request.user)
        except ValidationError as error:
            form.add_error("user", error)
    if form.errors:
        return _deputies_page(request, form, status=422)
    messages.success(request, _("%(person)s is now a vault deputy.") % {"person": form.cleaned_data["user"]})
    return redirect("vault:deputies")


@require_POST
@vault_view
def revoke_deputy(request: SignedInRequest, pk: int) -> HttpResponse:
    deputy = get_object_or_404(VaultDeputy.objects.select_related("user"), pk=pk)
    services.revoke_deputy(deputy=deputy, by=request.user)
    messages.success(
        request,
        _("%(person)s is no longer a vault deputy. Every credential is now due for rotation.")
        % {"person": deputy.user},
    )
    return redirect("vault:deputies")


@vault_view
@sensitive_variables()
def export(request: SignedInRequest) -> HttpResponse:
    policy_for(Credential).require(request.user, "export")
    if not _recent(request):
        return _recheck(request, reverse("vault:export"))
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            blob = services.export_break_glass(
                by=request.user, passphrase=form.cleaned_data["passphrase"], recently_verified=True
            )
        except (VaultKeyError, SealBrokenError) as error:
            return _open_failed(request, error)
        name = f"sigill-vault-{timezone.localdate():%Y-%m-%d}.breakglass.json"
        response = HttpResponse(blob, content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "vault/export.html", {"form": form}, status=422 if form.errors else 200)
