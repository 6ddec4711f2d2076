"""Reads of the registry, already narrowed to what the reader may see."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sigill.core.policies import policy_for
from sigill.core.text import swedish_sort_key
from sigill.organisation.models import Unit
from sigill.organisation.people import User
from sigill.registry.models import Account, EditorAssignment, Platform, Purpose, current_assignments_q

SORTS = {
    "name": ("display_name", "platform__position"),
    "platform": ("platform__position", "display_name"),
    "unit": ("unit__name", "display_name"),
    "status": ("status", "display_name"),
    "review": ("next_review_on", "display_name"),
}


def accounts_for(
    user: User, *, filters: dict[str, Any] | None = None, sort: str = "name"
) -> QuerySet[Account]:
    """The accounts ``user`` may see, filtered and sorted as the registry list asks."""
    filters = filters or {}
    accounts = policy_for(Account).queryset(user, "view").select_related("platform", "unit", "responsible")
    if unit := filters.get("unit"):
        accounts = accounts.filter(unit__path__startswith=unit.path)
    if platform := filters.get("platform"):
        accounts = accounts.filter(platform=platform)
    if status := filters.get("status"):
        accounts = accounts.filter(status=status)
    if filters.get("review_due"):
        accounts = accounts.filter(next_review_on__lte=timezone.localdate()).exclude(
            status=Account.Status.CLOSED
        )
    if query := filters.get("q"):
        accounts = accounts.filter(Q(display_name__icontains=query) | Q(handle__icontains=query))
    order: tuple[str, ...] = SORTS.get(sort.lstrip("-"), SORTS["name"])
    if sort.startswith("-"):
        order = tuple(f"-{field}" for field in order)
    return accounts.order_by(*order)


def account_for(user: User, *, slug: str) -> Account:
    """One account the user may see (404 otherwise), with what its page shows."""
    accounts = (
        policy_for(Account).queryset(user, "view").select_related("platform", "unit", "responsible", "deputy")
    )
    return get_object_or_404(accounts.prefetch_related("purposes"), slug=slug)


def editors_of(account: Account) -> QuerySet[EditorAssignment]:
    return account.editor_assignments.filter(revoked_at__isnull=True).select_related("user", "granted_by")


def accounts_due_for_review(user: User) -> QuerySet[Account]:
    return accounts_for(user, filters={"review_due": True}, sort="review")


def current_editor_assignments() -> QuerySet[EditorAssignment]:
    """Every editor with access today, for the yearly access review."""
    return (
        EditorAssignment.objects.filter(current_assignments_q())
        .select_related("user", "account", "account__platform", "granted_by")
        .order_by("user__last_name", "user__first_name", "account__display_name")
    )


# The public list ---------------------------------------------------------------------------------


def public_accounts() -> list[Account]:
    """The accounts on the public list: live on their platform (never planned or closed)."""
    return list(
        Account.objects.filter(status__in=Account.PUBLIC_STATUSES)
        .select_related("platform", "unit")
        .prefetch_related(Prefetch("purposes", queryset=Purpose.objects.order_by("position")))
        .order_by("unit__path", "platform__position", "display_name")
    )


@dataclass(frozen=True)
class PublicListVersion:
    """What identifies the public list's current content, from one cheap query."""

    etag: str
    last_modified: dt.datetime | None


def public_list_version() -> PublicListVersion:
    """Every write to an account (also one that takes it off the list) moves its ``updated_at``,
    and accounts are never deleted, so the newest ``updated_at`` identifies the list's content.
    It is one look-up in the ``updated_at`` index, however many accounts there are."""
    last: dt.datetime | None = Account.objects.aggregate(last=Max("updated_at"))["last"]
    fingerprint = last.isoformat() if last else "-"
    return PublicListVersion(etag=hashlib.sha256(fingerprint.encode()).hexdigest()[:32], last_modified=last)


# Shared caches may keep the list, but must ask again each time, so a change shows at once.
PUBLIC_CACHE_CONTROL = "public, max-age=0, must-revalidate"


def public_etag(version: PublicListVersion, language: str) -> str:
    """The ETag of the list in one language (the page's text depends on it)."""
    return f'"{version.etag}-{language}"'


def public_record(account: Account) -> dict[str, Any]:
    """One account as the public feeds publish it."""
    return {
        "name": account.display_name,
        "platform": account.platform.slug,
        "platform_name": account.platform.name,
        "handle": account.handle,
        "url": account.profile_url,
        "unit": account.unit.name,
        "purpose": account.purpose_statement,
        "purpose_categories": [purpose.code for purpose in account.purposes.all()],
        "status": account.status,
        "active_since": account.activated_at.date().isoformat() if account.activated_at else None,
        "last_changed": timezone.localtime(account.updated_at).isoformat(timespec="seconds"),
    }


def group_by_unit(accounts: list[Account]) -> list[tuple[Unit, list[Account]]]:
    """The accounts grouped by owning unit, units in Swedish alphabetical order."""
    groups: dict[int, tuple[Unit, list[Account]]] = {}
    for account in accounts:
        groups.setdefault(account.unit_id, (account.unit, []))[1].append(account)
    return sorted(groups.values(), key=lambda group: swedish_sort_key(group[0].name))


# The yearly access review: an editor is due when no review has confirmed them for a year.
ACCESS_REVIEW_INTERVAL = dt.timedelta(days=365)


def access_reviews_due(account_ids: Collection[int], *, at: dt.datetime) -> dict[int, int]:
    """Per account, how many of its editors in force at ``at`` no access review has confirmed in
    the year before it, in one query."""
    rows = (
        EditorAssignment.objects.filter(
            current_assignments_q(today=timezone.localdate(at)), account_id__in=account_ids
        )
        .exclude(confirmed_at__gte=at - ACCESS_REVIEW_INTERVAL)
        .values_list("account_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def platforms_reached_by_api() -> QuerySet[Platform]:
    """The catalogue's platforms that it says Sigill reaches through their API: to capture comments
    or messages, or to hide, delete or block for the moderation queue."""
    return Platform.objects.filter(
        Q(captures_comments_by_api=True)
        | Q(captures_messages_by_api=True)
        | Q(api_can_hide=True)
        | Q(api_can_delete=True)
        | Q(api_can_block=True)
    ).order_by("slug")
