"""A server that must not talk to the platforms (the demo, a restored copy of production) turns
syncing off with one setting: nothing is synced, no log-in renewed, and the capture pages say so."""

from __future__ import annotations

from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from sigill.core import scheduler
from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.conftest import signed_in_client

PLATFORM_JOBS = {
    "sync_accounts",
    "publish_due",
    "hand_over_posts",
    "snapshot_profiles",
    "refresh_platform_logins",
}


def job_names() -> set[str]:
    return {job.name for job in scheduler.registered_jobs()}


def test_the_scheduler_syncs_publishes_renews_and_snapshots_only_where_platform_sync_is_on(settings) -> None:
    settings.PLATFORM_SYNC = True
    assert PLATFORM_JOBS <= job_names()
    settings.PLATFORM_SYNC = False
    assert not PLATFORM_JOBS & job_names()
    assert "fail_dead_runs" in job_names(), "the watchdog over import runs keeps running"


def test_the_capture_pages_say_syncing_is_off_and_offer_no_sync(
    settings, vara_page: Account, alice: User
) -> None:
    settings.PLATFORM_SYNC = False
    client = signed_in_client(alice)
    overview = client.get(reverse("connectors:overview")).content.decode()
    page = client.get(reverse("connectors:account", kwargs={"slug": vara_page.slug})).content.decode()
    for html in (overview, page):
        assert "SIGILL_PLATFORM_SYNC" in html
    assert reverse("connectors:sync_now", kwargs={"slug": vara_page.slug}) not in page


def test_sync_now_is_refused_where_platform_sync_is_off(settings, vara_page: Account, alice: User) -> None:
    settings.PLATFORM_SYNC = False
    response = signed_in_client(alice).post(
        reverse("connectors:sync_now", kwargs={"slug": vara_page.slug}), follow=True
    )
    assert "SIGILL_PLATFORM_SYNC" in response.content.decode()
    assert not DBTaskResult.objects.exists()


def test_with_platform_sync_on_the_account_page_offers_a_sync(
    settings, vara_page: Account, alice: User
) -> None:
    settings.PLATFORM_SYNC = True
    page = signed_in_client(alice).get(reverse("connectors:account", kwargs={"slug": vara_page.slug}))
    assert reverse("connectors:sync_now", kwargs={"slug": vara_page.slug}) in page.content.decode()
    assert "SIGILL_PLATFORM_SYNC" not in page.content.decode()
