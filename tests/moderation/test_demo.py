"""The moderation demo shows a live queue: flagged comments, a report, a breach, every kind of decision."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from sigill.moderation import selectors
from sigill.moderation.models import Act, Case, Decision, PlatformAct
from sigill.organisation.models import User
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


def test_the_demo_queue_has_work_in_it_and_running_again_changes_nothing() -> None:
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
        counts = (Case.objects.count(), Decision.objects.count(), PlatformAct.objects.count())
        call_command("seed_demo", verbosity=0)
    assert (Case.objects.count(), Decision.objects.count(), PlatformAct.objects.count()) == counts
    comms = User.objects.get(username="comms")
    queue = selectors.queue_for(comms, selectors.QueueFilters())
    # The resident's report of the threat comes first, then the identity number.
    assert [case.item.object_id for case in queue.cases[:2]] == ["demo-mod-threat", "demo-mod-pnr"]
    assert selectors.overdue_for(comms).exists()
    assert set(Decision.objects.values_list("act", flat=True)) >= set(Act.values) - {"block", "report_threat"}
    editor = User.objects.get(username="editor")
    page = signed_in_client(editor).get(reverse("moderation:queue"))
    assert page.status_code == 200
    # The Arabic-writing resident's name stays isolated, so it cannot reorder the rest of the line.
    assert "<bdi>\u2068سارا أحمد\u2069</bdi>" in page.content.decode()


def test_the_demo_shows_a_threat_reported_and_hidden_with_its_bundle_and_a_failed_hide_to_try_again(
    httpx2_mock: object,
) -> None:
    """No request leaves Sigill: the router refuses any (the failed hide fails before one)."""
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    comms = signed_in_client(User.objects.get(username="comms"))
    reported = Decision.objects.get(case__item__object_id="demo-mod-reported")
    assert (reported.act, reported.removal, reported.done_on_platform) == ("report_threat", "hide", True)
    page = comms.get(reported.case.get_absolute_url()).content.decode()
    assert "Utfört på plattformen." in page
    bundle = comms.get(reverse("moderation:evidence", kwargs={"pk": reported.pk}))
    assert bundle.status_code == 200 and bundle["Content-Type"] == "application/pdf"
    failed = Decision.objects.get(case__item__object_id="demo-mod-failed")
    assert [a.outcome for a in failed.platform_acts.all()] == [PlatformAct.Outcome.FAILED]
    page = comms.get(failed.case.get_absolute_url()).content.decode()
    assert "Misslyckades på plattformen: kommentaren finns kvar där." in page
    assert "Försök igen via API:t" in page and "har tagits bort" not in page
