"""Every write to the organisation: units and role memberships. Each is audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sigill.core import audit
from sigill.core.policies import policy_for
from sigill.organisation.models import Membership, Unit, User
from sigill.organisation.selectors import forget_roles

audit.describe_acts(
    {
        "organisation.unit.created": gettext_lazy("Unit created"),
        "organisation.membership.granted": gettext_lazy("Role granted"),
        "organisation.membership.revoked": gettext_lazy("Role revoked"),
    }
)

# Which kind of unit may sit directly below which.
_ALLOWED_PARENT_KINDS = {
    Unit.Kind.ADMINISTRATION: set(),
    Unit.Kind.DEPARTMENT: {Unit.Kind.ADMINISTRATION},
    Unit.Kind.SECTION: {Unit.Kind.ADMINISTRATION, Unit.Kind.DEPARTMENT},
}


def create_unit(*, name: str, slug: str, kind: str, parent: Unit | None, by: Any = None) -> Unit:
    """Create a unit in the tree; a department hangs below an administration, a section below either."""
    if by is not None:
        policy_for(Unit).require(by, "create")
    allowed = _ALLOWED_PARENT_KINDS[Unit.Kind(kind)]
    if (parent is None) != (not allowed) or (parent is not None and parent.kind not in allowed):
        raise ValidationError(_("A unit of this kind cannot be placed there in the tree."))
    with transaction.atomic():
        unit = Unit(name=name, slug=slug, kind=kind, parent=parent, path="/pending/")
        unit.save()
        # The path holds the unit's own id, which exists only after the first insert. Ids are
        # zero-padded so that sorting by path lists each unit right after its parent.
        unit.path = f"{parent.path if parent else '/'}{unit.pk:08d}/"
        unit.save(update_fields=["path"])
        audit.record(
            "organisation.unit.created",
            actor=by,
            target=unit,
            details={"kind": kind, "parent": parent and parent.slug},
        )
    return unit


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
