"""The organisation: the unit tree, and the roles in each unit (granted and revoked by comms)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sigill.core.policies import policy_for
from sigill.organisation import selectors, services, unit_csv
from sigill.organisation.forms import (
    GrantMembershipForm,
    GroupMappingForm,
    MoveUnitForm,
    RenameUnitForm,
    UnitFileForm,
    UnitForm,
)
from sigill.organisation.models import GroupMapping, Membership, Role, Unit


def _tree_page(request: HttpRequest, form: UnitForm, status: int = 200) -> HttpResponse:
    units = selectors.as_tree(policy_for(Unit).queryset(request.user))
    return render(request, "organisation/tree.html", {"units": units, "form": form}, status=status)


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    policy_for(Unit).require(request.user, "view")
    return _tree_page(request, UnitForm())


@require_POST
@login_required
def create(request: HttpRequest) -> HttpResponse:
    policy_for(Unit).require(request.user, "create")
    form = UnitForm(request.POST)
    if form.is_valid():
        try:
            unit = services.create_unit(**form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(unit)s is created.") % {"unit": unit})
            return redirect(unit)
    return _tree_page(request, form, status=422)


def _unit_page(
    request: HttpRequest,
    unit: Unit,
    form: GrantMembershipForm,
    status: int = 200,
    rename_form: RenameUnitForm | None = None,
    move_form: MoveUnitForm | None = None,
) -> HttpResponse:
    context = {
        "unit": unit,
        "memberships": selectors.members_of(unit),
        "ancestors": selectors.ancestors_of(unit),
        "children": unit.children.order_by("name"),
        "form": form,
        "rename_form": rename_form or RenameUnitForm(initial={"name": unit.name}),
        "move_form": move_form or MoveUnitForm(unit=unit, initial={"parent": unit.parent_id}),
    }
    return render(request, "organisation/unit.html", context, status=status)


def _unit_to_change(request: HttpRequest, slug: str) -> Unit:
    unit = get_object_or_404(Unit, slug=slug)
    policy_for(Unit).require(request.user, "change", unit)
    return unit


@require_POST
@login_required
def rename(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_to_change(request, slug)
    form = RenameUnitForm(request.POST)
    if form.is_valid():
        try:
            unit = services.rename_unit(unit=unit, name=form.cleaned_data["name"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The unit is now called %(unit)s.") % {"unit": unit})
            return redirect(unit)
    return _unit_page(request, unit, GrantMembershipForm(), status=422, rename_form=form)


@require_POST
@login_required
def move(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_to_change(request, slug)
    form = MoveUnitForm(request.POST, unit=unit)
    if form.is_valid():
        try:
            unit = services.move_unit(unit=unit, parent=form.cleaned_data["parent"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(unit)s is moved.") % {"unit": unit})
            return redirect(unit)
    return _unit_page(request, unit, GrantMembershipForm(), status=422, move_form=form)


@require_POST
@login_required
def close(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_to_change(request, slug)
    reopening = unit.is_closed
    try:
        if reopening:
            services.reopen_unit(unit=unit, by=request.user)
        else:
            services.close_unit(unit=unit, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = _("%(unit)s is open again.") if reopening else _("%(unit)s is closed.")
        messages.success(request, done % {"unit": unit})
    return redirect(unit)


@login_required
def import_units(request: HttpRequest) -> HttpResponse:
    """Upload a CSV file of units: first a preview (or the problems, line by line), then the import."""
    policy_for(Unit).require(request.user, "create")
    form = UnitFileForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and "text" in request.POST:
        return _confirm_import(request, request.POST["text"])
    if request.method == "POST" and form.is_valid():
        try:
            text = unit_csv.decode(form.cleaned_data["file"].read(unit_csv.max_file_bytes() + 1))
            context.update(plan=unit_csv.plan(unit_csv.read_rows(text)), text=text)
        except unit_csv.UnitFileError as exc:
            context["problems"] = exc.problems
    status = 422 if request.method == "POST" and "plan" not in context else 200
    return render(request, "organisation/import.html", context, status=status)


def _confirm_import(request: HttpRequest, text: str) -> HttpResponse:
    try:
        plan = services.import_units(plan=unit_csv.plan(unit_csv.read_rows(text)), by=request.user)
    except unit_csv.UnitFileError as exc:
        context = {"form": UnitFileForm(), "problems": exc.problems}
        return render(request, "organisation/import.html", context, status=422)
    messages.success(
        request,
        _("Units imported: %(created)d created, %(renamed)d renamed, %(moved)d moved.")
        % {"created": len(plan.created), "renamed": len(plan.renamed), "moved": len(plan.moved)},
    )
    return redirect("organisation:tree")


def _mappings_page(request: HttpRequest, form: GroupMappingForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "mappings": policy_for(GroupMapping).queryset(request.user).select_related("unit"),
        "oidc_enabled": settings.OIDC_ENABLED,
    }
    return render(request, "organisation/group_mappings.html", context, status=status)


@login_required
def group_mappings(request: HttpRequest) -> HttpResponse:
    policy_for(GroupMapping).require(request.user, "view")
    form = GroupMappingForm(request.POST or None)
    if request.method == "POST":
        policy_for(GroupMapping).require(request.user, "create")
        if form.is_valid():
            try:
                services.add_group_mapping(**form.cleaned_data, by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("The group mapping is saved. It applies at each person's next sign-in.")
                )
                return redirect("organisation:group_mappings")
        return _mappings_page(request, form, status=422)
    return _mappings_page(request, form)


@require_POST
@login_required
def remove_group_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    mapping = get_object_or_404(GroupMapping.objects.select_related("unit"), pk=pk)
    services.remove_group_mapping(mapping=mapping, by=request.user)
    messages.success(request, _("The group mapping is removed. Its roles go at each person's next sign-in."))
    return redirect("organisation:group_mappings")


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
