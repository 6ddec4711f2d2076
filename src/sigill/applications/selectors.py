"""Reads of the e-service, already narrowed to what the reader may see."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sigill.applications.checklist import ITEMS
from sigill.applications.models import Application, ChecklistTick
from sigill.core.policies import policy_for
from sigill.organisation.people import Role, User
from sigill.organisation.selectors import has_role, managed_units
from sigill.registry.models import Account


def applications_for(user: User, *, filters: dict[str, Any] | None = None) -> QuerySet[Application]:
    filters = filters or {}
    applications = (
        policy_for(Application).queryset(user, "view").select_related("applicant", "unit", "platform")
    )
    if state := filters.get("state"):
        applications = applications.filter(state=state)
    if unit := filters.get("unit"):
        applications = applications.filter(unit__path__startswith=unit.path)
    if platform := filters.get("platform"):
        applications = applications.filter(platform=platform)
    return applications.order_by("-state_changed_at")


def application_for(user: User, *, pk: int) -> Application:
    applications = (
        policy_for(Application)
        .queryset(user, "view")
        .select_related("applicant", "unit", "platform", "responsible", "deputy", "account")
    )
    return get_object_or_404(applications, pk=pk)


def own_applications(user: User) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant=user).select_related("platform", "unit").order_by("-created_at")
    )


def waiting_for(user: User) -> QuerySet[Application]:
    """Applications waiting for ``user``'s step: anchoring in their units, or comms' decision."""
    waiting = Q(state=Application.State.SUBMITTED, unit__in=managed_units(user))
    if has_role(user, Role.COMMS):
        waiting |= Q(state=Application.State.ANCHORED)
    return (
        Application.objects.filter(waiting)
        .exclude(applicant=user)
        .select_related("applicant", "unit", "platform")
        .order_by("state_changed_at")
    )


@dataclass(frozen=True)
class ChecklistRow:
    code: str
    label: str
    done: bool | None
    tick: ChecklistTick | None

    @property
    def ticked_by_hand(self) -> bool:
        return self.tick is not None and not self.done


def checklist_for(account: Account) -> list[ChecklistRow]:
    """Each setup item: done as an app records it, or ticked by comms where no app does."""
    ticks = {
        tick.item: tick for tick in ChecklistTick.objects.filter(account=account).select_related("ticked_by")
    }
    rows = []
    for code, item in ITEMS.items():
        recorded = item.recorded(account)
        rows.append(ChecklistRow(code=code, label=str(item.label), done=recorded, tick=ticks.get(code)))
    return rows


@dataclass(frozen=True)
class LeadTime:
    decided: int
    median_days: float | None
    longest_days: float | None


def lead_time(applications: QuerySet[Application]) -> LeadTime:
    """Days from submission to decision (approved or rejected) over the given applications."""
    pairs = applications.filter(submitted_at__isnull=False, decided_at__isnull=False).values_list(
        "submitted_at", "decided_at"
    )
    spans = [decided - submitted for submitted, decided in pairs if submitted and decided]
    days = [span.total_seconds() / 86400 for span in spans]
    return LeadTime(
        decided=len(days),
        median_days=round(statistics.median(days), 1) if days else None,
        longest_days=round(max(days), 1) if days else None,
    )


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Monday to Friday from ``start`` (exclusive) to ``end`` (inclusive)."""
    days, current = 0, start
    while current < end:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            days += 1
    return days


def overdue(working_days: int, *, today: dt.date | None = None) -> list[Application]:
    """Open applications waiting for a reviewer longer than ``working_days``, not reminded today."""
    today = today or timezone.localdate()
    waiting = Application.objects.filter(
        state__in=[Application.State.SUBMITTED, Application.State.ANCHORED]
    ).select_related("applicant", "unit", "platform")
    return [
        application
        for application in waiting
        if working_days_between(timezone.localdate(application.state_changed_at), today) > working_days
        and (application.reminded_at is None or timezone.localdate(application.reminded_at) < today)
    ]
