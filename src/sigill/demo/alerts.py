"""Demo data for alerts: an on-call rota for this week and the coming ones, with one single-day
change, and one person's own choices. It runs before the moderation demo, so the alerts that the
demo's critical comments raise when they are screened go to the people the rota and the office
hours say (the real services do it); missed time targets are alerted by the scheduler's round.

Idempotent: a week or day already on the rota is left as it is.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sigill.alerts import selectors, services
from sigill.alerts.models import AlertPreference, RotaDay, RotaWeek
from sigill.organisation.models import User

WEEKS = 6


@transaction.atomic
def seed() -> None:
    comms = User.objects.get(username="comms")
    editor = User.objects.get(username="editor")
    second_comms = User.objects.filter(username="elin.karlsson").first() or comms
    turns = [comms, editor, second_comms]
    monday = selectors.week_start(timezone.localdate())
    for number in range(WEEKS):
        week = monday + dt.timedelta(weeks=number)
        if not RotaWeek.objects.filter(week_start=week).exists():
            services.assign_week(week_start=week, person=turns[number % len(turns)], by=comms)
    # The week's person is away one Sunday: someone else takes that day.
    sunday = monday + dt.timedelta(weeks=1, days=6)
    if not RotaDay.objects.filter(day=sunday).exists():
        services.assign_day(day=sunday, person=second_comms, by=comms)
    if not AlertPreference.objects.filter(user=second_comms).exists():
        services.set_preferences(
            user=second_comms,
            by_email=True,
            webhook_mention=False,
            critical_finding=True,
            missed_target=True,
            digest=False,
        )
