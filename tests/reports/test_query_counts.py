"""The report pages (and the lists they sit beside) cost the same number of queries for three
accounts as for fifty, each with a year of activity: nothing is read account by account."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sigill.archive import services as archive_services
from sigill.archive.capture import Author, Capture, Direction, Kind, Source
from sigill.archive.models import Item
from sigill.compliance.models import ProfileCheck
from sigill.connectors.models import CaptureRun, Connection
from sigill.inquiries.models import Inquiry
from sigill.moderation.models import Case, Decision
from sigill.moderation.selectors import forwarded_reference
from sigill.organisation.models import Unit, User
from sigill.registry import services as registry_services
from sigill.registry.models import Account
from sigill.reports.periods import Month
from tests.conftest import signed_in_client
from tests.registry.fixtures import account_data, activate

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)
YEAR = Month(2026, 3).back(12)


def make_accounts(count: int, first: int, alice: User, bob: User, units: dict[str, Unit]) -> list[Account]:
    accounts = []
    for number in range(first, first + count):
        unit = units["bibliotek" if number % 2 else "gata-park"]
        data = account_data(
            unit, url=f"facebook.com/vara-{number}", platform="facebook", display_name=f"Vara {number}",
            responsible=alice, deputy=bob,
        )  # fmt: skip
        accounts.append(activate(registry_services.create_account(data=data, by=alice), alice))
    return accounts


def a_year_of_activity(accounts: list[Account], alice: User) -> None:
    """Each month: two posts, three comments and a message per account; every comment a case,
    two decided (one forwarded, its question answered); a profile check."""
    captures = []
    for account in accounts:
        for month in YEAR:
            day = month.start + dt.timedelta(days=3, hours=9)
            for kind, direction, count in [
                (Kind.POST, Direction.DRAWN_UP, 2),
                (Kind.COMMENT, Direction.RECEIVED, 3),
                (Kind.MESSAGE, Direction.RECEIVED, 1),
            ]:
                captures += [
                    Capture(
                        account_id=account.pk, platform_id=f"{account.pk}-{month}-{kind}-{n}", kind=kind,
                        source=Source.API, direction=direction, published_at=day + n * H, text="Hej",
                        author=Author(platform_id=f"u-{n}"),
                    )
                    for n in range(count)
                ]  # fmt: skip
    archive_services.capture(captures)
    comments = Item.objects.filter(account__in=accounts, kind=Kind.COMMENT).order_by("pk")
    Case.objects.bulk_create(
        Case(
            item=item, account_id=item.account_id, severity=item.pk % 3, screened_version=1,
            opened_at=item.published_at, due_at=item.published_at + 24 * H,
            first_looked_at=item.published_at + H,
        )
        for item in comments
    )  # fmt: skip
    cases = list(Case.objects.filter(account__in=accounts).order_by("pk"))
    decided = [case for case in cases if case.item.object_id[-1] in "01"]
    Decision.objects.bulk_create(
        Decision(
            case=case, round=1, act="forward" if case.item.object_id.endswith("0") else "hide",
            reason="" if case.item.object_id.endswith("0") else "spam", decided_by=alice,
            decided_at=case.opened_at + 5 * H,
        )
        for case in decided
    )  # fmt: skip
    Inquiry.objects.bulk_create(
        Inquiry(
            source=Inquiry.Source.MODERATION, asked_where="Facebook", question="Fråga?", asked_at=case.opened_at,
            received_at=case.opened_at + 5 * H, due_at=case.opened_at + 53 * H, answered_at=case.opened_at + 9 * H,
            answer="Svar.", state=Inquiry.State.ANSWERED, external_id=forwarded_reference(case.pk, 1),
        )
        for case in decided
        if case.item.object_id.endswith("0")
    )  # fmt: skip
    ProfileCheck.objects.bulk_create(
        ProfileCheck(account=account, checked_at=month.start + 10 * H, score=90, passed=False)
        for account in accounts
        for month in YEAR
    )
    capture_runs(accounts)


def capture_runs(accounts: list[Account]) -> None:
    """Every other account syncs by API, each month failing on the 20th until the 21st; the rest
    have no connection and import an export on the 25th."""
    Account.objects.filter(pk__in=[account.pk for account in accounts]).update(activated_at=YEAR[0].start)
    synced = accounts[::2]
    Connection.objects.bulk_create(Connection(account=account, remote_id=account.slug) for account in synced)
    plan = [(1, "api", "succeeded"), (19, "api", "failed"), (20, "api", "succeeded")]
    CaptureRun.objects.bulk_create(
        CaptureRun(
            account=account, path=path, outcome=outcome, started_at=month.start + days * 24 * H,
            finished_at=month.start + days * 24 * H + H,
        )
        for account in accounts
        for month in YEAR
        for days, path, outcome in (plan if account in synced else [(24, "export", "succeeded")])
    )  # fmt: skip


def queries(client: Any, url: str) -> int:
    client.get(url)  # sessions, roles and translations settle on the first request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def test_report_pages_and_lists_read_fifty_accounts_in_as_many_queries_as_three(
    alice: User, bob: User, units: dict[str, Unit], django_assert_num_queries: Any
) -> None:
    first = make_accounts(3, 0, alice, bob, units)
    a_year_of_activity(first, alice)
    march = {"year": 2026, "month": 3}
    pages = {
        (alice, reverse("reports:month", kwargs=march)),
        (bob, reverse("reports:month", kwargs=march)),
        (alice, reverse("reports:month", kwargs=march) + "?unit=bildning"),
        (alice, reverse("reports:account", kwargs={**march, "slug": first[0].slug})),
        (alice, reverse("reports:csv", kwargs=march)),
        (alice, reverse("registry:accounts")),
        (alice, reverse("moderation:supervision")),
        (alice, reverse("moderation:queue")),
        (alice, reverse("compliance:overview")),
        (alice, reverse("compliance:templates")),
        (alice, reverse("reports:pdf", kwargs=march)),
        (alice, reverse("inquiries:list")),
        (alice, reverse("inquiries:queue")),
        (alice, reverse("archive:search")),
    }
    clients = {person: signed_in_client(person) for person in (alice, bob)}
    few = {(person, url): queries(clients[person], url) for person, url in pages}

    more = make_accounts(47, 3, alice, bob, units)
    a_year_of_activity(more, alice)
    assert Account.objects.count() == 50
    for (person, url), expected in few.items():
        clients[person].get(url)
        with django_assert_num_queries(expected):
            response = clients[person].get(url)
        assert response.status_code == 200
    # The report really covers all fifty accounts, each with its figures.
    report = clients[alice].get(reverse("reports:month", kwargs=march)).context["report"]
    assert report.total.accounts == 50
    assert report.total.figures.posts_published == 100
    assert report.total.figures.decisions == 100
    assert report.total.figures.questions_answered == 50
    assert report.total.accounts_with_gaps == 50  # a failed sync or the time after the import
