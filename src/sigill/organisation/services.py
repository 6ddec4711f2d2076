"""Every write to the organisation: units and role memberships. Each is audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sigill.core import audit
from sigill.core.policies import policy_for
from sigill.organisation import unit_csv
from sigill.organisation.models import GroupMapping, Membership, Unit, User
from sigill.organisation.selectors import forget_roles

audit.describe_acts(
    {
        "organisation.person.created": gettext_lazy("Person added"),
        "organisation.unit.created": gettext_lazy("Unit created"),
        "organisation.unit.renamed": gettext_lazy("Unit renamed"),
        "organisation.unit.moved": gettext_lazy("Unit moved in the tree"),
        "organisation.unit.closed": gettext_lazy("Unit closed"),
        "organisation.unit.reopened": gettext_lazy("Unit reopened"),
        "organisation.units.imported": gettext_lazy("Units imported from a file"),
        "organisation.group_mapping.added": gettext_lazy("Sign-on group mapped to a role"),
        "organisation.group_mapping.removed": gettext_lazy("Sign-on group mapping removed"),
        "organisation.membership.granted": gettext_lazy("Role granted"),
        "organisation.membership.revoked": gettext_lazy("Role revoked"),
    }
)


def create_unit(*, name: str, slug: str, kind: str, parent: Unit | None, by: Any = None) -> Unit:
    """Create a unit in the tree; a department hangs below an administration, a section below either."""
    if by is not None:
        policy_for(Unit).require(by, "create")
    _check_placement(kind=kind, parent=parent)
    if parent is not None and parent.is_closed:
        raise ValidationError({"parent": _("%(unit)s is closed and takes no new units.") % {"unit": parent}})
    if Unit.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("Another unit already has the code “%(code)s”.") % {"code": slug}})
    with transaction.atomic():
        unit = _insert_unit(name=name, slug=slug, kind=kind, parent=parent)
        audit.record(
            "organisation.unit.created",
            actor=by,
            target=unit,
            details={"kind": kind, "parent": parent and parent.slug},
        )
    return unit


def _check_placement(*, kind: str, parent: Unit | None) -> None:
    if problem := unit_csv.placement_problem(kind, parent.kind if parent else None):
        raise ValidationError({"parent": problem})


def _insert_unit(*, name: str, slug: str, kind: str, parent: Unit | None) -> Unit:
    unit = Unit(name=name, slug=slug, kind=kind, parent=parent, path="/pending/")
    unit.save()
    # The path holds the unit's own id, which exists only after the first insert. Ids are
    # zero-padded so that sorting by path lists each unit right after its parent.
    unit.path = f"{parent.path if parent else '/'}{unit.pk:08d}/"
    unit.save(update_fields=["path"])
    return unit


def rename_unit(*, unit: Unit, name: str, by: Any) -> Unit:
    """Give a unit a new name; its code, and so every link and group mapping to it, stays."""
    policy_for(Unit).require(by, "change", unit)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Write the unit's name.")})
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        old = unit.name
        unit.name = name
        unit.save(update_fields=["name"])
        audit.record("organisation.unit.renamed", actor=by, target=unit, details={"from": old, "to": name})
    return unit


def move_unit(*, unit: Unit, parent: Unit | None, by: Any) -> Unit:
    """Place a unit (and every unit below it) under another parent.

    Unit managers of the old parent no longer manage it; those of the new one do.
    """
    policy_for(Unit).require(by, "change", unit)
    if (parent.pk if parent else None) == unit.parent_id:
        return unit  # already there: nothing moves, nothing to audit
    _check_placement(kind=unit.kind, parent=parent)
    if parent is not None and parent.path.startswith(unit.path):
        raise ValidationError({"parent": _("A unit cannot be placed below itself or a unit below it.")})
    if parent is not None and parent.is_closed:
        raise ValidationError({"parent": _("%(unit)s is closed and takes no new units.") % {"unit": parent}})
    with transaction.atomic():
        unit = Unit.objects.select_for_update(of=("self",)).select_related("parent").get(pk=unit.pk)
        old_parent = unit.parent
        _move_subtree(unit=unit, parent=parent)
        audit.record(
            "organisation.unit.moved",
            actor=by,
            target=unit,
            details={"from": old_parent and old_parent.slug, "to": parent and parent.slug},
        )
    return unit


def _move_subtree(*, unit: Unit, parent: Unit | None) -> None:
    """Re-hang ``unit`` and rewrite the materialised path of it and every unit below it.

    The new paths cannot collide with any existing one, since each path ends in its own unit's id.
    """
    old_path = unit.path
    new_path = f"{parent.path if parent else '/'}{unit.pk:08d}/"
    Unit.objects.filter(pk=unit.pk).update(parent=parent)
    Unit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1))
    )
    unit.parent, unit.path = parent, new_path


def close_unit(*, unit: Unit, by: Any) -> Unit:
    """Close a unit that has ended: it keeps its accounts and records, and takes no new ones.

    A unit is never deleted once anything points at it; units below it must be closed or moved first.
    """
    policy_for(Unit).require(by, "change", unit)
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        if unit.is_closed:
            raise ValidationError(_("%(unit)s is already closed.") % {"unit": unit})
        if unit.children.filter(closed_at__isnull=True).exists():
            raise ValidationError(
                _("Units below %(unit)s are still open. Close or move them first.") % {"unit": unit}
            )
        unit.closed_at = timezone.now()
        unit.save(update_fields=["closed_at"])
        audit.record("organisation.unit.closed", actor=by, target=unit)
    return unit


def reopen_unit(*, unit: Unit, by: Any) -> Unit:
    policy_for(Unit).require(by, "change", unit)
    with transaction.atomic():
        unit = Unit.objects.select_for_update(of=("self",)).select_related("parent").get(pk=unit.pk)
        if not unit.is_closed:
            raise ValidationError(_("%(unit)s is open.") % {"unit": unit})
        if unit.parent is not None and unit.parent.is_closed:
            raise ValidationError(_("Reopen %(parent)s first.") % {"parent": unit.parent})
        unit.closed_at = None
        unit.save(update_fields=["closed_at"])
        audit.record("organisation.unit.reopened", actor=by, target=unit)
    return unit


def require_open_unit(unit: Unit | None, *, field: str = "unit") -> None:
    """Refuse a closed unit as the owner of something new (an account, an application)."""
    if unit is not None and Unit.objects.filter(pk=unit.pk, closed_at__isnull=False).exists():
        raise ValidationError({field: _("%(unit)s is closed and takes no new accounts.") % {"unit": unit}})


def import_units(*, plan: unit_csv.UnitPlan, by: Any = None) -> unit_csv.UnitPlan:
    """Create, rename and move the units of a checked file (``unit_csv.plan``), all or nothing.

    Importing the same file again changes nothing; a changed name or parent in it is followed.
    """
    if by is not None:
        policy_for(Unit).require(by, "create")
    with transaction.atomic():
        # The plan was made outside the transaction: check it again against the tree as it is now.
        fresh = unit_csv.plan(plan.rows)
        created, renamed, moved = (
            [row.code for row in rows] for rows in (fresh.created, fresh.renamed, fresh.moved)
        )
        units = {unit.slug: unit for unit in Unit.objects.select_for_update()}
        for row in fresh.rows:  # parents before children
            parent = units[row.parent_code] if row.parent_code else None
            if parent is not None:
                parent.refresh_from_db(fields=["path"])  # a move above it may have rewritten it
            if row.existing is None:
                units[row.code] = _insert_unit(name=row.name, slug=row.code, kind=row.kind, parent=parent)
                continue
            unit = units[row.code]
            unit.refresh_from_db(fields=["path"])  # a move above it may have rewritten it
            if row.code in moved:
                _move_subtree(unit=unit, parent=parent)
            if row.code in renamed:
                unit.name = row.name
                unit.save(update_fields=["name"])
        audit.record(
            "organisation.units.imported",
            actor=by,
            details={"created": created, "renamed": renamed, "moved": moved},
        )
    return fresh


def create_person(
    *, username: str, email: str, first_name: str = "", last_name: str = "", actor_label: str = ""
) -> User:
    """Add a person who has no password yet: they choose one through a one-time sign-in link."""
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("The username “%(name)s” is taken.") % {"name": username}})
    with transaction.atomic():
        person = User(username=username, email=email, first_name=first_name, last_name=last_name)
        person.set_unusable_password()
        person.full_clean(exclude=["password"])
        person.save()
        audit.record("organisation.person.created", actor_label=actor_label, target=person)
    return person


def grant_membership(
    *, user: User, unit: Unit, role: str, by: Any = None, source: str = Membership.Source.MANUAL
) -> Membership:
    """Give ``user`` the ``role`` in ``unit``. Granting a role someone already holds changes nothing."""
    if by is not None:
        policy_for(Membership).require(by, "grant")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user,
            unit=unit,
            role=role,
            defaults={"granted_by": by if by is not None else None, "source": source},
        )
        if created:
            audit.record(
                "organisation.membership.granted",
                actor=by,
                target=user,
                details={"unit": unit.slug, "role": role, "source": source},
            )
    forget_roles(user)
    return membership


def revoke_membership(*, membership: Membership, by: Any = None) -> None:
    """Take a role away. The audit entry keeps who held it, where, and who took it away."""
    if by is not None:
        policy_for(Membership).require(by, "revoke", membership)
    with transaction.atomic():
        audit.record(
            "organisation.membership.revoked",
            actor=by,
            target=membership.user,
            details={"unit": membership.unit.slug, "role": membership.role, "source": membership.source},
        )
        membership.delete()
    forget_roles(membership.user)


def add_group_mapping(*, group_id: str, unit: Unit, role: str, by: Any) -> GroupMapping:
    """Members of the identity provider group ``group_id`` get ``role`` in ``unit`` at their next sign-in."""
    policy_for(GroupMapping).require(by, "create")
    group_id = group_id.strip()
    if unit.is_closed:
        raise ValidationError({"unit": _("%(unit)s is closed.") % {"unit": unit}})
    if GroupMapping.objects.filter(group_id=group_id, unit=unit, role=role).exists():
        raise ValidationError(_("This group already gives this role in this unit."))
    with transaction.atomic():
        mapping = GroupMapping.objects.create(group_id=group_id, unit=unit, role=role)
        audit.record(
            "organisation.group_mapping.added",
            actor=by,
            target=mapping,
            details={"group": group_id, "unit": unit.slug, "role": role},
        )
    return mapping


def remove_group_mapping(*, mapping: GroupMapping, by: Any) -> None:
    """Stop giving the role; people lose it at their next sign-in."""
    policy_for(GroupMapping).require(by, "delete", mapping)
    with transaction.atomic():
        audit.record(
            "organisation.group_mapping.removed",
            actor=by,
            target=mapping,
            details={"group": mapping.group_id, "unit": mapping.unit.slug, "role": mapping.role},
        )
        mapping.delete()
