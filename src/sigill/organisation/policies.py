"""Who may see and change the organisation. Communications manages roles centrally (G7)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from sigill.core.policies import Policy, register
from sigill.organisation.models import GroupMapping, Membership, Role, Unit, User
from sigill.organisation.selectors import has_role, managed_units


@register(Unit)
class UnitPolicy(Policy[Unit]):
    def can_view(self, user: Any, unit: Unit | None) -> bool:
        if has_role(user, Role.COMMS, Role.REGISTRAR):
            return True
        if unit is None:
            return has_role(user, Role.UNIT_MANAGER)
        return managed_units(user).filter(pk=unit.pk).exists()

    def view_queryset(self, user: Any, units: QuerySet[Unit]) -> QuerySet[Unit]:
        if has_role(user, Role.COMMS, Role.REGISTRAR):
            return units
        return units.filter(pk__in=managed_units(user).values("pk"))

    def can_create(self, user: Any, unit: Unit | None) -> bool:
        return has_role(user, Role.COMMS)

    def can_change(self, user: Any, unit: Unit | None) -> bool:
        """Rename, move, close and reopen: communications keeps the tree (G7)."""
        return has_role(user, Role.COMMS)


@register(Membership)
class MembershipPolicy(Policy[Membership]):
    def can_grant(self, user: Any, membership: Membership | None) -> bool:
        return has_role(user, Role.COMMS)

    def can_revoke(self, user: Any, membership: Membership | None) -> bool:
        return has_role(user, Role.COMMS)

    def can_view(self, user: Any, membership: Membership | None) -> bool:
        if membership is None:
            return has_role(user, Role.COMMS, Role.REGISTRAR, Role.UNIT_MANAGER)
        return self.view_queryset(user, Membership.objects.filter(pk=membership.pk)).exists()

    def view_queryset(self, user: Any, memberships: QuerySet[Membership]) -> QuerySet[Membership]:
        if has_role(user, Role.COMMS, Role.REGISTRAR):
            return memberships
        return memberships.filter(Q(user=user) | Q(unit__in=managed_units(user)))


@register(User)
class UserPolicy(Policy[User]):
    def can_view(self, user: Any, person: User | None) -> bool:
        if person is not None and person.pk == user.pk:
            return True
        return has_role(user, Role.COMMS, Role.REGISTRAR)

    def view_queryset(self, user: Any, people: QuerySet[User]) -> QuerySet[User]:
        if has_role(user, Role.COMMS, Role.REGISTRAR):
            return people
        return people.filter(pk=user.pk)


@register(GroupMapping)
class GroupMappingPolicy(Policy[GroupMapping]):
    """Which sign-on groups give which roles: communications decides, as for every role (G7)."""

    def can_view(self, user: Any, mapping: GroupMapping | None) -> bool:
        return has_role(user, Role.COMMS)

    def view_queryset(self, user: Any, mappings: QuerySet[GroupMapping]) -> QuerySet[GroupMapping]:
        return mappings if has_role(user, Role.COMMS) else mappings.none()

    def can_create(self, user: Any, mapping: GroupMapping | None) -> bool:
        return has_role(user, Role.COMMS)

    def can_delete(self, user: Any, mapping: GroupMapping | None) -> bool:
        return has_role(user, Role.COMMS)
