"""Reads about the organisation: who holds which role, and where."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from sigill.core.text import swedish_sort_key
from sigill.organisation.models import GroupMapping, Membership, Unit, User

# The role names, which other apps' policies and selectors ask about.
from sigill.organisation.models import Role as Role


def roles_of(user: Any) -> frozenset[str]:
    """The roles ``user`` holds anywhere, cached on the user object for the request.

    A superuser (an operator's ``createsuperuser``; a new installation starts with ``setup``
    instead, whose first user holds the comms role) acts as the communications department and
    the registrar.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_sigill_roles", None)
    if cached is None:
        roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
        if user.is_superuser:
            roles |= {Role.COMMS, Role.REGISTRAR}
        cached = frozenset(roles)
        user._sigill_roles = cached
    return cached


def has_role(user: Any, *roles: str) -> bool:
    return not roles_of(user).isdisjoint(roles)


def forget_roles(user: Any) -> None:
    """Drop the cached roles after a membership change."""
    user.__dict__.pop("_sigill_roles", None)


def units_where(user: Any, role: str) -> QuerySet[Unit]:
    """The units where ``user`` holds ``role``, and every unit below them."""
    paths = list(
        Unit.objects.filter(memberships__user=user, memberships__role=role).values_list("path", flat=True)
    )
    if not paths:
        return Unit.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Unit.objects.filter(condition)


def managed_units(user: Any) -> QuerySet[Unit]:
    """The units a unit manager manages: their own and every unit below it."""
    return units_where(user, Role.UNIT_MANAGER)


def as_tree(units: QuerySet[Unit]) -> list[Unit]:
    """``units`` depth-first (each parent before its branch), siblings in Swedish alphabetical
    order, each with its number of members. A unit whose parent is not in ``units`` is a root."""
    counted = list(units.annotate(member_count=Count("memberships__user", distinct=True)))
    present = {unit.pk for unit in counted}
    children: dict[int | None, list[Unit]] = {}
    for unit in counted:
        parent = unit.parent_id if unit.parent_id in present else None
        children.setdefault(parent, []).append(unit)

    ordered: list[Unit] = []

    def visit(parent: int | None, level: int) -> None:
        for unit in sorted(children.get(parent, []), key=lambda unit: swedish_sort_key(unit.name)):
            unit.tree_depth = level  # type: ignore[attr-defined]
            ordered.append(unit)
            visit(unit.pk, level + 1)

    visit(None, 0)
    return ordered


def members_of(unit: Unit) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(unit=unit)
        .select_related("user", "granted_by")
        .order_by("user__last_name", "user__first_name", "role")
    )


def people_with_role(*roles: str) -> QuerySet[User]:
    """The active people who hold any of ``roles`` in some unit, each once."""
    return User.objects.filter(is_active=True, memberships__role__in=roles).distinct()


def active_users() -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("last_name", "first_name", "username")


def memberships_of(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("unit").order_by("unit__path", "role")


def ancestors_of(unit: Unit) -> list[Unit]:
    """The units above ``unit``, from the root down, read from its path in one query."""
    ids = [int(part) for part in unit.path.strip("/").split("/")[:-1]]
    by_id = Unit.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


class RoleDirectory:
    """What the ground floor asks of the organisation (``sigill.core.roles``); registered when
    this app loads."""

    def roles_of(self, user: Any) -> frozenset[str]:
        return roles_of(user)

    def held_roles(self, user: Any) -> list[Membership]:
        return list(memberships_of(user))


def open_units(*, keep: Unit | int | None = None) -> QuerySet[Unit]:
    """The units that take new accounts and applications: those not closed (and ``keep``, the unit
    a form already shows, so that editing something of a closed unit does not lose its unit)."""
    condition = Q(closed_at__isnull=True)
    if keep is not None:
        condition |= Q(pk=keep.pk if isinstance(keep, Unit) else keep)
    return Unit.objects.filter(condition)


def group_mappings() -> QuerySet[GroupMapping]:
    return GroupMapping.objects.select_related("unit").order_by("group_id", "unit__path", "role")


def group_map_from_database() -> dict[str, list[dict[str, str]]]:
    """The group mappings comms keeps in Sigill, in ``OIDC_GROUP_MAP``'s shape."""
    mapped: dict[str, list[dict[str, str]]] = {}
    for group_id, slug, role in GroupMapping.objects.values_list("group_id", "unit__slug", "role"):
        mapped.setdefault(group_id, []).append({"unit": slug, "role": role})
    return mapped


def unit_by_slug(slug: str) -> Unit | None:
    return Unit.objects.filter(slug=slug).first()
