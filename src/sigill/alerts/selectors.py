"""Reads of the alerts app: office hours, who is on call, who wants which alert, recent alerts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet

from sigill.alerts.models import Alert, AlertPreference, Delivery, RotaDay, RotaWeek
from sigill.core import holidays
from sigill.organisation import selectors as organisation_selectors
from sigill.organisation.people import User
from sigill.organisation.selectors import Role
from sigill.registry import selectors as registry_selectors

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def is_office_hours(moment: dt.datetime) -> bool:
    """A working day (not a weekend or holiday) between the office hours' start and end, Swedish time."""
    local = moment.astimezone(STOCKHOLM)
    if holidays.is_day_off(local.date()):
        return False
    return settings.ALERTS_OFFICE_HOURS_START <= local.hour < settings.ALERTS_OFFICE_HOURS_END


def on_call_person(day: dt.date) -> Any | None:
    """Who is on call on ``day``: the day's own assignment, else the week's, else nobody."""
    override = RotaDay.objects.filter(day=day).select_related("person").first()
    if override is not None:
        return override.person
    week = RotaWeek.objects.filter(week_start=week_start(day)).select_related("person").first()
    return week.person if week is not None else None


def is_staffed(day: dt.date) -> bool:
    return (
        RotaDay.objects.filter(day=day).exists()
        or RotaWeek.objects.filter(week_start=week_start(day)).exists()
    )


@dataclass(frozen=True)
class RotaDayView:
    day: dt.date
    holiday: str
    is_day_off: bool
    person: User | None
    overridden: bool


@dataclass(frozen=True)
class RotaWeekView:
    start: dt.date
    number: int
    person: User | None
    days: list[RotaDayView]

    @property
    def holidays(self) -> list[RotaDayView]:
        return [day for day in self.days if day.holiday]

    @property
    def overrides(self) -> list[RotaDayView]:
        return [day for day in self.days if day.overridden]


def rota(first_day: dt.date, weeks: int) -> list[RotaWeekView]:
    """The rota for ``weeks`` weeks from ``first_day``'s week, with each day's holiday and person."""
    start = week_start(first_day)
    end = start + dt.timedelta(weeks=weeks)
    by_week = {
        week.week_start: week.person
        for week in RotaWeek.objects.filter(week_start__gte=start, week_start__lt=end).select_related(
            "person"
        )
    }
    by_day = {
        override.day: override.person
        for override in RotaDay.objects.filter(day__gte=start, day__lt=end).select_related("person")
    }
    result = []
    for offset in range(weeks):
        monday = start + dt.timedelta(weeks=offset)
        days = []
        for number in range(7):
            day = monday + dt.timedelta(days=number)
            days.append(
                RotaDayView(
                    day=day,
                    holiday=holidays.holiday_name(day),
                    is_day_off=holidays.is_day_off(day),
                    person=by_day.get(day, by_week.get(monday)),
                    overridden=day in by_day,
                )
            )
        result.append(
            RotaWeekView(
                start=monday, number=monday.isocalendar().week, person=by_week.get(monday), days=days
            )
        )
    return result


def rota_candidates() -> QuerySet[Any]:
    """Who can be put on call: comms and editors (those who may decide cases)."""
    return organisation_selectors.people_with_role(Role.COMMS, Role.EDITOR).order_by(
        "last_name", "first_name", "username"
    )


def comms_people() -> QuerySet[Any]:
    return organisation_selectors.people_with_role(Role.COMMS)


def editors_and_comms(account: Any) -> list[Any]:
    """The account's current editors and the communications department, each once."""
    people = {
        assignment.user for assignment in registry_selectors.editors_of(account) if assignment.user.is_active
    }
    people.update(comms_people())
    return sorted(people, key=lambda user: (user.last_name, user.first_name, user.username))


def preference_of(user: User) -> AlertPreference:
    """The person's preferences, or the defaults (everything) until they choose."""
    return AlertPreference.objects.filter(user=user).first() or AlertPreference(user=user)


def preferences_of(users: list[Any]) -> dict[int, AlertPreference]:
    found = {pref.user_id: pref for pref in AlertPreference.objects.filter(user__in=users)}
    return {user.pk: found.get(user.pk) or AlertPreference(user=user) for user in users}


def recent_alerts(limit: int = 100) -> QuerySet[Alert]:
    return (
        Alert.objects.select_related("account__platform", "case", "digest")
        .prefetch_related("deliveries__user", "mentioned")
        .order_by("-created_at", "-id")[:limit]
    )


def deliveries_due(now: dt.datetime) -> QuerySet[Delivery]:
    """Webhook deliveries that failed and whose next try is due."""
    return Delivery.objects.filter(state=Delivery.State.RETRYING, next_attempt_at__lte=now)


def digests_due(now: dt.datetime) -> QuerySet[Alert]:
    return Alert.objects.filter(reason="digest", delivered_at__isnull=True, due_at__lte=now)


def stranded_alerts(raised_before: dt.datetime) -> QuerySet[Alert]:
    """Alerts (not digests, not folded into one) raised before then and still not delivered."""
    return Alert.objects.filter(
        delivered_at__isnull=True, digest__isnull=True, created_at__lt=raised_before
    ).exclude(reason="digest")
