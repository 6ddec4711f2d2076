"""The reports through the API: the same figures as the report pages, for the same readers."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sigill.organisation.models import User
from sigill.registry.models import Account
from sigill.reports import selectors
from tests.api.conftest import api_as
from tests.reports.conftest import march  # noqa: F401  (March 2026 with figures the tests know)

pytestmark = pytest.mark.usefixtures("march")


def march_url(**kwargs: Any) -> str:
    return reverse("api:reports_month", kwargs={"year": 2026, "month": 3, **kwargs})


def figures_of(row: dict[str, Any]) -> tuple[Any, ...]:
    """A row's numbers, as the report pages show them."""
    return (row.get("account") or row.get("unit"), row["figures"], row.get("compliance_score"))


def test_comms_reads_the_months_figures_per_account_and_unit(alice: User, library: Account) -> None:
    response = api_as(alice, scope="read").get(march_url())
    assert response.status_code == 200
    report = response.json()
    rows = {row["account"]["slug"]: row for row in report["accounts"]}
    figures = rows[library.slug]["figures"]
    assert (figures["posts_published"], figures["comments_received"], figures["messages_received"]) == (
        2,
        5,
        1,
    )
    assert (figures["cases"], figures["flagged"], figures["flagged_share"]) == (4, 2, 0.5)
    assert figures["first_look"] == {
        "count": 3, "median_hours": 3.0, "p90_hours": 6.0, "within_target": 3, "within_target_share": 1.0
    }  # fmt: skip
    assert figures["decision_time"]["median_hours"] == 12.5
    assert rows[library.slug]["compliance_score"] == 80
    assert report["total"]["accounts"] == 2 and report["inquiries"]["received"] == 3
    page = selectors.monthly(alice, year=2026, month=3).as_dict()
    for part in ("accounts", "units"):
        assert [figures_of(row) for row in report[part]] == [figures_of(row) for row in page[part]]
    assert figures_of(report["total"]) == figures_of(page["total"])


def test_a_unit_manager_reads_their_units_accounts_only_and_no_questions(bob: User, library: Account) -> None:
    report = api_as(bob, scope="read").get(march_url()).json()
    assert [row["account"]["slug"] for row in report["accounts"]] == [library.slug]
    assert [row["unit"]["slug"] for row in report["units"]] == [library.unit.slug]
    assert report["inquiries"] is None


def test_a_report_narrowed_to_a_unit_outside_the_readers_accounts_is_not_found(
    bob: User, streets: Account
) -> None:
    api = api_as(bob, scope="read")
    assert api.get(march_url(), {"unit": "bildning"}).status_code == 200
    response = api.get(march_url(), {"unit": streets.unit.slug})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_an_editor_may_not_read_reports(erik: User) -> None:
    response = api_as(erik, scope="read").get(march_url())
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_one_accounts_report_and_one_outside_the_unit_managers_reach(
    bob: User, library: Account, streets: Account
) -> None:
    api = api_as(bob, scope="read")
    own = api.get(reverse("api:reports_account", kwargs={"year": 2026, "month": 3, "slug": library.slug}))
    assert own.status_code == 200
    assert [row["account"]["slug"] for row in own.json()["accounts"]] == [library.slug]
    other = api.get(reverse("api:reports_account", kwargs={"year": 2026, "month": 3, "slug": streets.slug}))
    assert other.status_code == 404


def test_a_month_that_has_not_begun_is_not_found(alice: User) -> None:
    response = api_as(alice, scope="read").get(
        reverse("api:reports_month", kwargs={"year": 2199, "month": 1})
    )
    assert response.status_code == 404
