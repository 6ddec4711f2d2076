"""The demo's reports have numbers: a year of moderated activity before the current month."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from sigill.archive.models import Item
from sigill.moderation.models import Decision
from sigill.organisation.models import User
from sigill.reports.periods import Month
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


def test_last_months_demo_report_has_charts_with_numbers_and_seeding_again_adds_nothing() -> None:
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
        counts = (Item.objects.count(), Decision.objects.count())
        call_command("seed_demo", verbosity=0)
    assert (Item.objects.count(), Decision.objects.count()) == counts
    last = Month.current().previous()
    unit_manager = User.objects.get(username="unit_manager")
    response = signed_in_client(unit_manager).get(
        reverse("reports:month", kwargs={"year": last.year, "month": last.month})
    )
    report = response.context["report"]
    assert len(response.context["charts"]) == 4
    figures = report.total.figures
    assert figures.posts_published > 0 and figures.comments_received > 0
    assert figures.decisions > 0 and figures.decision_time.median_hours is not None
    assert {count.act for count in figures.decisions_by_reason} >= {"keep", "hide"}
    assert all(point.comments_received > 0 for point in report.trend)


def test_last_months_demo_report_shows_real_coverage_and_the_instagram_tokens_gap() -> None:
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    last = Month.current().previous()
    comms = User.objects.get(username="comms")
    response = signed_in_client(comms).get(
        reverse("reports:month", kwargs={"year": last.year, "month": last.month})
    )
    rows = {
        (row.account.platform, row.account.name): row.coverage for row in response.context["report"].accounts
    }
    facebook = next(
        cov for (platform, _), cov in rows.items() if platform == "Facebook" and cov.covered_share == 1.0
    )
    assert facebook.gaps == []
    instagram = next(cov for (platform, _), cov in rows.items() if platform == "Instagram")
    assert [(gap.reason, gap.start.astimezone(last.start.tzinfo).day) for gap in instagram.gaps] == [
        ("needs_reconnect", 18)
    ]
    assert 0 < instagram.covered_share < 1
    assert "Token har gått ut eller återkallats" in response.content.decode()
