"""The calendar: list, month and week views over the posts one may see, rescheduling, and the feed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.urls import reverse

from sigill.core.models import AuditEntry
from sigill.organisation.models import User
from sigill.publishing import services
from sigill.publishing.models import Draft
from sigill.registry.models import Account
from tests.conftest import signed_in_client
from tests.publishing.conftest import write

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TUESDAY_AT_TEN = dt.datetime(2027, 3, 9, 10, 0, tzinfo=STOCKHOLM)


def planned(account: Account, by: User, title: str, at: dt.datetime) -> Draft:
    draft = services.create_draft(title=title, accounts=[account], text="Välkommen!", by=by)
    return services.reschedule(draft=draft, at=at, by=by)


def test_the_list_shows_posts_on_the_accounts_one_may_see_and_nothing_else(
    alice: User, erik: User, bob: User, gustav: User, library: Account, streets: Account
) -> None:
    planned(library, erik, "Sagostund", TUESDAY_AT_TEN)
    planned(streets, alice, "Snöröjning", TUESDAY_AT_TEN)
    assert "Sagostund" in signed_in_client(bob).get(reverse("publishing:index")).content.decode()
    page = signed_in_client(gustav).get(reverse("publishing:index")).content.decode()
    assert "Snöröjning" in page and "Sagostund" not in page


def test_the_list_filters_by_account(alice: User, library: Account, streets: Account) -> None:
    planned(library, alice, "Sagostund", TUESDAY_AT_TEN)
    planned(streets, alice, "Snöröjning", TUESDAY_AT_TEN)
    page = signed_in_client(alice).get(reverse("publishing:index"), {"account": streets.pk}).content.decode()
    assert "Snöröjning" in page and "Sagostund" not in page


def test_the_month_and_week_views_put_a_post_on_its_swedish_day(erik: User, library: Account) -> None:
    late = dt.datetime(2027, 3, 9, 23, 30, tzinfo=STOCKHOLM)  # 22:30 UTC: still the 9th in Sweden
    planned(library, erik, "Kvällsläsning", late)
    client = signed_in_client(erik)
    month = client.get(reverse("publishing:month"), {"year": 2027, "month": 3}).content.decode()
    day_cell = month.split('data-day="2027-03-09"')[1].split("</td>")[0]
    assert "Kvällsläsning" in day_cell and "23:30" in day_cell
    week = client.get(reverse("publishing:week"), {"day": "2027-03-10"}).content.decode()
    assert "Kvällsläsning" in week


def test_a_post_not_yet_handed_over_is_moved_with_the_date_and_time_form(
    alice: User, erik: User, bob: User, library: Account
) -> None:
    services.set_approval_rule(account=library, approver="unit_manager", by=alice)
    draft = planned(library, erik, "Sagostund", TUESDAY_AT_TEN)
    draft = services.approve(draft=services.submit(draft=draft, by=erik), by=bob)
    response = signed_in_client(erik).post(
        reverse("publishing:reschedule", args=[draft.pk]), {"scheduled_at": "2027-03-11T14:15"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.scheduled_at == dt.datetime(2027, 3, 11, 14, 15, tzinfo=STOCKHOLM)
    assert draft.state == Draft.State.APPROVED  # the text is the same, so the approval stays
    assert AuditEntry.objects.filter(act="publishing.draft.rescheduled", actor=erik).count() == 2


def test_the_calendar_feed_is_read_with_its_secret_address_until_revoked(
    alice: User, erik: User, gustav: User, library: Account, streets: Account
) -> None:
    planned(library, erik, "Sagostund; med, tecken", TUESDAY_AT_TEN)
    planned(streets, alice, "Snöröjning", TUESDAY_AT_TEN)
    client = signed_in_client(erik)
    page = client.post(reverse("publishing:feed"), {"act": "create"}).content.decode()
    url = page.split("<code>")[1].split("</code>")[0]
    path = url.split("testserver", 1)[1]

    feed = client.__class__().get(path)  # no session: the calendar program
    body = feed.content.decode()
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    assert "SUMMARY:Sagostund\\; med\\, tecken" in body and "Snöröjning" not in body
    assert "DTSTART:20270309T090000Z" in body

    client.post(reverse("publishing:feed"), {"act": "revoke"})
    assert client.__class__().get(path).status_code == 404
    assert list(
        AuditEntry.objects.filter(act__startswith="publishing.feed")
        .order_by("id")
        .values_list("act", flat=True)
    ) == [
        "publishing.feed.created",
        "publishing.feed.revoked",
    ]


def test_the_pages_are_in_english_when_asked(erik: User, library: Account) -> None:
    draft = write(library, erik)
    client = signed_in_client(erik)
    client.cookies["django_language"] = "en"
    page = client.get(draft.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Save as a new version" in page


def test_the_month_views_next_and_previous_keep_the_filter(alice: User, library: Account) -> None:
    page = (
        signed_in_client(alice)
        .get(reverse("publishing:month"), {"year": 2027, "month": 3, "account": library.pk})
        .content.decode()
    )
    assert f'href="?year=2027&amp;month=4&amp;account={library.pk}"' in page


def test_a_post_cannot_be_moved_to_a_time_that_has_passed(erik: User, library: Account) -> None:
    draft = planned(library, erik, "Sagostund", TUESDAY_AT_TEN)
    response = signed_in_client(erik).post(
        reverse("publishing:reschedule", args=[draft.pk]), {"scheduled_at": "2020-01-01T10:00"}
    )
    assert response.status_code == 422
    assert "Välj en tid som inte har passerat." in response.content.decode()
    draft.refresh_from_db()
    assert draft.scheduled_at == TUESDAY_AT_TEN
