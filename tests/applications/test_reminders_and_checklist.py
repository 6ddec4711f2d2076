"""Reminders for applications that wait, the setup checklist, and comms' overview."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from sigill.applications import selectors, services
from sigill.applications.models import Application, ChecklistTick
from sigill.core.models import AuditEntry
from sigill.organisation.models import User
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "end", "working_days"),
    [
        (dt.date(2026, 11, 20), dt.date(2026, 11, 23), 1),  # Friday to Monday
        (dt.date(2026, 11, 23), dt.date(2026, 11, 27), 4),  # Monday to Friday
        (dt.date(2026, 11, 21), dt.date(2026, 11, 22), 0),  # Saturday to Sunday
    ],
)
def test_working_days_skip_the_weekend(start: dt.date, end: dt.date, working_days: int) -> None:
    assert selectors.working_days_between(start, end) == working_days


@override_settings(APPLICATION_REMINDER_WORKING_DAYS=3)
def test_an_application_waiting_too_long_reminds_the_unit_manager_once_a_day(
    submitted: Application, bob: User
) -> None:
    User.objects.filter(pk=bob.pk).update(email="bob@vara.example")
    Application.objects.filter(pk=submitted.pk).update(
        state_changed_at=timezone.now() - dt.timedelta(days=10)
    )
    call_command("remind_applications", stdout=StringIO())
    call_command("remind_applications", stdout=StringIO())
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["bob@vara.example"], "Påminnelse: en ansökan väntar på dig: Nästegårdsskolan")
    ]


@override_settings(APPLICATION_REMINDER_WORKING_DAYS=3)
def test_a_fresh_application_reminds_no_one(submitted: Application, bob: User) -> None:
    User.objects.filter(pk=bob.pk).update(email="bob@vara.example")
    call_command("remind_applications", stdout=StringIO())
    assert mail.outbox == []


def test_the_checklist_ticks_itself_and_comms_ticks_the_rest_with_a_note(
    anchored: Application, alice: User, erik: User
) -> None:
    account = services.approve(application=anchored, by=alice)
    rows = {row.code: row for row in selectors.checklist_for(account)}
    assert rows["activated"].done is False
    assert rows["credentials"].done is False
    services.tick(account=account, item="profile", note="Granskad på plats av Karin.", by=alice)
    rows = {row.code: row for row in selectors.checklist_for(account)}
    assert rows["profile"].tick is not None and rows["profile"].tick.note == "Granskad på plats av Karin."
    assert AuditEntry.objects.filter(act="applications.checklist.ticked", actor=alice).exists()


def test_a_tick_needs_a_note_and_only_comms_ticks(anchored: Application, alice: User, bob: User) -> None:
    account = services.approve(application=anchored, by=alice)
    client = signed_in_client(bob)
    assert (
        client.post(
            reverse("applications:tick", kwargs={"pk": anchored.pk, "item": "profile"}), {"note": "Ok"}
        ).status_code
        == 403
    )
    signed_in_client(alice).post(
        reverse("applications:tick", kwargs={"pk": anchored.pk, "item": "profile"}), {"note": ""}
    )
    assert not ChecklistTick.objects.filter(account=account).exists()


def test_the_overview_shows_the_lead_time_from_submission_to_decision(
    anchored: Application, alice: User
) -> None:
    services.approve(application=anchored, by=alice)
    Application.objects.filter(pk=anchored.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=4), decided_at=timezone.now()
    )
    page = signed_in_client(alice).get(reverse("applications:overview"), {"state": "approved"})
    text = page.content.decode()
    assert "median 4,0 dagar" in text
    assert [application.pk for application in page.context["page"].object_list] == [anchored.pk]
