"""The rota: comms puts people on call per week and single days; on a staffed weekend a critical
case's time target keeps running; the pages for the rota and each person's preferences."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sigill.alerts import selectors, services
from sigill.alerts.models import AlertPreference, RotaWeek
from sigill.core.models import AuditEntry
from sigill.moderation import watchers
from sigill.moderation.deadlines import due_after
from sigill.moderation.models import Case
from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.alerts.conftest import STOCKHOLM, WEEK_OF_THE_SATURDAY
from tests.archive.conftest import comment
from tests.conftest import signed_in_client
from tests.moderation.conftest import arrive

FRIDAY_EVENING = dt.datetime(2026, 12, 11, 20, 0, tzinfo=STOCKHOLM)


def test_on_a_staffed_weekend_a_threats_clock_keeps_running_and_a_questions_does_not(
    alice: User, erik: User
) -> None:
    unstaffed_threat = due_after(
        FRIDAY_EVENING, hours=24, weekends_count=False, on_call=watchers.on_call_for({"threat"})
    )
    assert unstaffed_threat == dt.datetime(2026, 12, 14, 19, 0, tzinfo=dt.UTC), "Monday evening"

    services.assign_week(week_start=WEEK_OF_THE_SATURDAY, person=erik, by=alice)
    threat = due_after(
        FRIDAY_EVENING, hours=24, weekends_count=False, on_call=watchers.on_call_for({"threat"})
    )
    question = due_after(
        FRIDAY_EVENING, hours=24, weekends_count=False, on_call=watchers.on_call_for({"question"})
    )
    assert threat == dt.datetime(2026, 12, 12, 19, 0, tzinfo=dt.UTC), "Saturday evening"
    assert question == dt.datetime(2026, 12, 14, 19, 0, tzinfo=dt.UTC)


def test_a_day_override_takes_the_place_of_the_weeks_person(alice: User, erik: User) -> None:
    services.assign_week(week_start=WEEK_OF_THE_SATURDAY, person=erik, by=alice)
    services.assign_day(day=dt.date(2026, 12, 13), person=alice, by=alice)
    assert selectors.on_call_person(dt.date(2026, 12, 12)) == erik
    assert selectors.on_call_person(dt.date(2026, 12, 13)) == alice
    services.assign_day(day=dt.date(2026, 12, 13), person=None, by=alice)
    assert selectors.on_call_person(dt.date(2026, 12, 13)) == erik
    assert AuditEntry.objects.filter(act="alerts.rota.assigned").count() == 3


def test_a_week_starts_on_a_monday_and_only_comms_and_editors_can_be_on_call(
    alice: User, erik: User, charlie: User
) -> None:
    with pytest.raises(ValidationError):
        services.assign_week(week_start=dt.date(2026, 12, 8), person=erik, by=alice)
    with pytest.raises(ValidationError):
        services.assign_week(week_start=WEEK_OF_THE_SATURDAY, person=charlie, by=alice)
    with pytest.raises(PermissionDenied):
        services.assign_week(week_start=WEEK_OF_THE_SATURDAY, person=erik, by=erik)
    assert not RotaWeek.objects.exists()


def test_comms_puts_erik_on_call_for_a_week_on_the_rota_page(alice: User, erik: User) -> None:
    client = signed_in_client(alice)
    week = selectors.week_start(timezone.localdate())
    response = client.post(
        reverse("alerts:assign_week"), {"week-week_start": week.isoformat(), "week-person": erik.pk}
    )
    assert response.status_code == 302
    page = client.get(reverse("alerts:rota")).content.decode()
    assert "Erik Ek" in page
    assert "Jourschema" in page


def test_a_tuesday_is_refused_as_the_start_of_a_week_with_a_clear_message(alice: User, erik: User) -> None:
    client = signed_in_client(alice)
    monday = selectors.week_start(timezone.localdate())
    response = client.post(
        reverse("alerts:assign_week"),
        {"week-week_start": (monday + dt.timedelta(days=1)).isoformat(), "week-person": erik.pk},
    )
    assert response.status_code == 422
    assert "En jourvecka börjar på en måndag." in response.content.decode()


def test_an_editor_sees_the_rota_but_cannot_change_it(erik: User) -> None:
    client = signed_in_client(erik)
    assert client.get(reverse("alerts:rota")).status_code == 200
    week = selectors.week_start(timezone.localdate()).isoformat()
    response = client.post(reverse("alerts:assign_week"), {"week-week_start": week, "week-person": erik.pk})
    assert response.status_code == 403
    assert client.get(reverse("alerts:list")).status_code == 403


def test_erik_chooses_no_email_and_no_digests_on_the_preferences_page(erik: User) -> None:
    client = signed_in_client(erik)
    page = client.get(reverse("alerts:preferences"))
    assert "Dina larm" in page.content.decode()
    response = client.post(
        reverse("alerts:preferences"),
        {"webhook_mention": "on", "critical_finding": "on", "missed_target": "on"},
    )
    assert response.status_code == 302
    chosen = AlertPreference.objects.get(user=erik)
    assert (chosen.by_email, chosen.webhook_mention, chosen.digest) == (False, True, False)
    assert AuditEntry.objects.filter(act="alerts.preferences.changed", actor=erik).exists()


def test_staffing_a_weekend_brings_an_open_threats_due_time_forward(
    alice: User, erik: User, library: Account, clock: Callable[[dt.datetime], None]
) -> None:
    clock(FRIDAY_EVENING)
    [threat] = arrive(comment(library, "c-threat", "Jag vet var du bor och jag ska döda dig."))
    [question] = arrive(comment(library, "c-question", "När öppnar biblioteket på lördag?"))
    monday_evening = dt.datetime(2026, 12, 14, 19, 0, tzinfo=dt.UTC)
    Case.objects.filter(pk__in=[threat.pk, question.pk]).update(
        opened_at=FRIDAY_EVENING, due_at=monday_evening
    )

    services.assign_week(week_start=WEEK_OF_THE_SATURDAY, person=erik, by=alice)

    threat.refresh_from_db()
    question.refresh_from_db()
    assert threat.due_at == dt.datetime(2026, 12, 12, 19, 0, tzinfo=dt.UTC), "Saturday evening"
    assert question.due_at == monday_evening
