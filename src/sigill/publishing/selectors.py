"""Reads of publishing, already narrowed to what the reader may see."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from sigill.connectors.selectors import outgoing_by_keys
from sigill.core.policies import policy_for
from sigill.organisation.people import User
from sigill.publishing.models import ApprovalRule, CalendarFeed, Draft, DraftTarget, DraftVersion, ReviewEvent
from sigill.publishing.policies import approvable, draft_policy
from sigill.publishing.services import hash_token, outgoing_key


def writable_accounts(user: User) -> QuerySet[Any]:
    """The accounts ``user`` may write posts for."""
    return (
        policy_for("registry.Account")
        .queryset(user, "edit_content")
        .filter(status="active")
        .select_related("platform", "unit")
        .order_by("display_name", "platform__position")
    )


def visible_accounts(user: User) -> QuerySet[Any]:
    return policy_for("registry.Account").queryset(user, "view").select_related("platform", "unit")


@dataclass(frozen=True)
class CalendarFilters:
    unit: Any = None
    account: Any = None
    platform: Any = None
    state: str = ""


def drafts_for(user: User, filters: CalendarFilters | None = None) -> QuerySet[Draft]:
    filters = filters or CalendarFilters()
    drafts = draft_policy.queryset(user, "view")
    if filters.unit is not None:
        drafts = drafts.filter(targets__account__unit__path__startswith=filters.unit.path)
    if filters.account is not None:
        drafts = drafts.filter(targets__account=filters.account)
    if filters.platform is not None:
        drafts = drafts.filter(targets__account__platform=filters.platform)
    if filters.state:
        drafts = drafts.filter(state=filters.state)
    targets = DraftTarget.objects.select_related("account__platform", "account__unit")
    return (
        drafts.distinct()
        .select_related("created_by", "approved_by")
        .prefetch_related(Prefetch("targets", queryset=targets))
    )


def draft_for(user: User, *, pk: int, action: str = "view") -> Draft:
    draft = get_object_or_404(
        draft_policy.queryset(user, "view").select_related("created_by", "approved_by"), pk=pk
    )
    draft_policy.require(user, action, draft)
    return draft


def targets_of(draft: Draft) -> QuerySet[DraftTarget]:
    return draft.targets.select_related("account__platform", "account__unit")


def versions_of(draft: Draft) -> QuerySet[DraftVersion]:
    return draft.versions.select_related("author").order_by("-number")


def events_of(draft: Draft) -> QuerySet[ReviewEvent]:
    return draft.events.select_related("by").order_by("at", "id")


def rules_for(user: User) -> list[tuple[Any, str]]:
    """Every account the user sees, with its approval rule."""
    accounts = list(visible_accounts(user).exclude(status="closed").order_by("display_name"))
    rules = dict(ApprovalRule.objects.filter(account__in=accounts).values_list("account_id", "approver"))
    return [(account, rules.get(account.pk, ApprovalRule.Approver.NONE)) for account in accounts]


def waiting_for(user: User) -> list[Draft]:
    """The drafts waiting for ``user``'s approval."""
    return approvable(user, list(drafts_for(user, CalendarFilters(state=Draft.State.SUBMITTED))))


# The calendar ----------------------------------------------------------------------------------


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass
class Day:
    date: dt.date
    in_month: bool
    drafts: list[Draft] = field(default_factory=list)


def _by_day(drafts: QuerySet[Draft]) -> dict[dt.date, list[Draft]]:
    """The drafts (all with a time) by their Swedish day, in time order."""
    zone = local_zone()
    by_day: dict[dt.date, list[Draft]] = {}
    for draft in drafts.order_by("scheduled_at"):
        if draft.scheduled_at is not None:
            by_day.setdefault(draft.scheduled_at.astimezone(zone).date(), []).append(draft)
    return by_day


def month_grid(drafts: QuerySet[Draft], *, year: int, month: int) -> list[list[Day]]:
    """The weeks (Monday first) of a month, each day with the posts scheduled on it."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    zone = local_zone()
    start = dt.datetime.combine(weeks[0][0], dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(weeks[-1][-1] + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    by_day = _by_day(drafts.filter(scheduled_at__gte=start, scheduled_at__lt=end))
    return [[Day(day, day.month == month, by_day.get(day, [])) for day in week] for week in weeks]


def week_days(drafts: QuerySet[Draft], *, monday: dt.date) -> list[Day]:
    zone = local_zone()
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=zone)
    by_day = _by_day(drafts.filter(scheduled_at__gte=start, scheduled_at__lt=start + dt.timedelta(days=7)))
    days = [monday + dt.timedelta(days=offset) for offset in range(7)]
    return [Day(day, True, by_day.get(day, [])) for day in days]


def feed_owner(token: str) -> Any | None:
    """The person whose open calendar feed has ``token``, or None."""
    feed = (
        CalendarFeed.objects.filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def open_feed_of(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def deliveries_of(drafts: list[Draft]) -> dict[tuple[int, int], Any]:
    """How each handed-over post stands with the connectors, by (draft id, account id)."""
    keys = {
        outgoing_key(draft, target.account_id): (draft.pk, target.account_id)
        for draft in drafts
        if draft.state == Draft.State.HANDED_OVER
        for target in draft.targets.all()
    }
    found = outgoing_by_keys(list(keys))
    return {keys[key]: outgoing for key, outgoing in found.items()}
