"""The organisation: the unit tree, and the roles in each unit (granted and revoked by comms)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sigill.core.policies import policy_for
from sigill.organisation import selectors, services
from sigill.organisation.forms import GrantMembershipForm
from sigill.organisation.models import Membership, Role, Unit


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    policy_for(Unit).require(request.user, "view")
    units = selectors.as_tree(policy_for(Unit).queryset(request.user))
    return render(request, "organisation/tree.html", {"units": units})


def _unit_page(
    request: HttpRequest, unit: Unit, form: GrantMembershipForm, status: int = 200
) -> HttpResponse:
    context = {
        "unit": unit,
        "memberships": selectors.members_of(unit),
        "ancestors": selectors.ancestors_of(unit),
        "children": unit.children.order_by("name"),
        "form": form,
    }
    return render(request, "organisation/unit.html", context, status=status)


@login_required
def unit_detail(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_object_or_404(policy_for(Unit).queryset(request.user), slug=slug)
    return _unit_page(request, unit, GrantMembershipForm())


@require_POST
@login_required
def grant(request: HttpRequest, slug: str) -> HttpResponse:
    policy_for(Membership).require(request.user, "grant")
    unit = get_object_or_404(Unit, slug=slug)
    form = GrantMembershipForm(request.POST)
    if not form.is_valid():
        return _unit_page(request, unit, form, status=422)
    person, role = form.cleaned_data["user"], form.cleaned_data["role"]
    services.grant_membership(user=person, unit=unit, role=role, by=request.user)
    messages.success(
        request,
        _("%(person)s now has the role “%(role)s” in %(unit)s.")
        % {
            "person": person,
            "role": Role(role).label,
            "unit": unit,
        },
    )
    return redirect(unit)


@require_POST
@login_required
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("unit", "user"), pk=pk)
    policy_for(Membership).require(request.user, "revoke", membership)
    services.revoke_membership(membership=membership, by=request.user)
    messages.success(
        request,
        _("%(person)s no longer has the role “%(role)s” in %(unit)s.")
        % {
            "person": membership.user,
            "role": membership.get_role_display(),
            "unit": membership.unit,
        },
    )
    return redirect(membership.unit)
