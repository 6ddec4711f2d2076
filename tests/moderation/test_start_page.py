"""The start page tells editors and comms about everything waiting in moderation, with its age."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sigill.compliance import services as compliance_services
from sigill.compliance.models import CommentReport
from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.archive.conftest import comment
from tests.conftest import signed_in_client
from tests.moderation.conftest import arrive

pytestmark = pytest.mark.django_db


def report(account: Account, number: int) -> CommentReport:
    return compliance_services.report_comment(
        account=account,
        comment_url=f"https://www.facebook.com/varabibliotek/posts/9?comment_id={number}",
        reason="harassment",
        contact="",
        sender_address=f"192.0.2.{number}",
    )


def test_residents_reports_are_on_the_start_page_with_the_age_of_the_oldest(
    library: Account, erik: User, charlie: User
) -> None:
    for number in range(3):
        report(library, number)
    CommentReport.objects.filter(comment_url__endswith="=0").update(
        reported_at=timezone.now() - dt.timedelta(days=2, hours=1)
    )
    page = signed_in_client(erik).get(reverse("core:home")).content.decode()
    assert "3 invånares anmälningar av kommentarer väntar på att hanteras" in page
    assert "Den äldsta har väntat 2\xa0dagar" in page
    assert "anmälningar" not in signed_in_client(charlie).get(reverse("core:home")).content.decode()


def test_comments_waiting_for_a_decision_show_how_long_the_oldest_has_waited(
    library: Account, erik: User
) -> None:
    [case] = arrive(comment(library, "c-1", "Du är en idiot"))
    case.opened_at = timezone.now() - dt.timedelta(hours=5)
    case.save(update_fields=["opened_at"])
    page = signed_in_client(erik).get(reverse("core:home")).content.decode()
    assert "1 kommentar väntar på modereringsbeslut" in page
    assert "Den äldsta har väntat 5\xa0timmar" in page
