"""What a connector's capture of a profile does to its checks: a captured profile text is checked
at once; a rendered snapshot only makes a new check due, and a person's check stays in force."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from sigill.archive import services as archive_services
from sigill.archive.capture import Capture, Direction, Kind, Source
from sigill.compliance import selectors, services
from sigill.compliance.models import ProfileCheck, Requirement, Result
from sigill.connectors import snapshot
from sigill.organisation.models import User
from sigill.registry import services as registry_services
from sigill.registry.models import Account
from tests.compliance.profiles import COMPLETE_PROFILE, LOGO_SEEN, PUBLIC_RECORDS, not_met
from tests.conftest import signed_in_client

needs_chromium = pytest.mark.skipif(
    not shutil.which(settings.SNAPSHOT_CHROMIUM), reason="Debian's Chromium is not installed"
)


def capture_profile_text(account: Account, text: str, callbacks: Any) -> None:
    """A connector reads the profile's description through the platform's API."""
    profile = Capture(
        account_id=account.pk,
        platform_id="profile",
        kind=Kind.PROFILE,
        source=Source.API,
        direction=Direction.DRAWN_UP,
        published_at=timezone.now(),
        text=text,
    )
    with callbacks(execute=True):
        archive_services.capture([profile])


@pytest.fixture
def eriks_passing_check(alice: User, erik: User, library_on_linkedin: Account) -> ProfileCheck:
    """Erik, the account's editor, looked at the profile and found it complete."""
    registry_services.assign_editor(account=library_on_linkedin, user=erik, by=alice)
    check = services.record_check(
        account=library_on_linkedin,
        by=erik,
        judgements=LOGO_SEEN,
        profile_text=COMPLETE_PROFILE + PUBLIC_RECORDS,
    )
    assert check.passed
    return check


@needs_chromium
def test_a_rendered_snapshot_records_no_failing_check_and_eriks_check_stays_in_force(
    erik: User,
    library_on_linkedin: Account,
    eriks_passing_check: ProfileCheck,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    page = tmp_path / "profil.html"
    page.write_text("<!DOCTYPE html><html lang=sv><title>Vara bibliotek</title><h1>Vara bibliotek</h1>")
    with django_capture_on_commit_callbacks(execute=True):
        snapshot.snapshot_profile(account=library_on_linkedin, url=page.as_uri())

    assert list(ProfileCheck.objects.filter(account=library_on_linkedin)) == [eriks_passing_check]
    latest = selectors.latest_check(library_on_linkedin)
    assert latest == eriks_passing_check and latest.passed and latest.checked_by == erik
    # The snapshot may show a changed profile: a person should look again.
    assert library_on_linkedin in selectors.failing_accounts(erik)
    overview = signed_in_client(erik).get(reverse("compliance:overview")).content.decode()
    assert "Profilen kan ha ändrats: dags för kontroll" in overview
    url = reverse("compliance:account", kwargs={"slug": library_on_linkedin.slug})
    assert "profilen kan ha ändrats" in signed_in_client(erik).get(url).content.decode()


def test_a_snapshot_built_as_the_connector_builds_it_is_not_read_as_the_profile(
    erik: User,
    library_on_linkedin: Account,
    eriks_passing_check: ProfileCheck,
    django_capture_on_commit_callbacks: Any,
) -> None:
    rendered = Capture(
        account_id=library_on_linkedin.pk,
        platform_id="profile-snapshot-20260101T000000Z",
        kind=Kind.PROFILE,
        source=Source.SNAPSHOT,
        direction=Direction.DRAWN_UP,
        published_at=timezone.now(),
        text=f"{library_on_linkedin.display_name}: {library_on_linkedin.profile_url}",
        metadata={"renderer": "chromium", "url": library_on_linkedin.profile_url},
    )
    with django_capture_on_commit_callbacks(execute=True):
        archive_services.capture([rendered])
    assert selectors.latest_check(library_on_linkedin) == eriks_passing_check
    assert library_on_linkedin in selectors.failing_accounts(erik)

    services.record_check(
        account=library_on_linkedin,
        by=erik,
        judgements=LOGO_SEEN,
        profile_text=COMPLETE_PROFILE + PUBLIC_RECORDS + " ",
    )
    assert library_on_linkedin not in selectors.failing_accounts(erik)


def test_a_captured_profile_text_without_the_public_records_notice_fails_exactly_that_item(
    erik: User,
    library_on_linkedin: Account,
    eriks_passing_check: ProfileCheck,
    django_capture_on_commit_callbacks: Any,
) -> None:
    capture_profile_text(library_on_linkedin, COMPLETE_PROFILE, django_capture_on_commit_callbacks)
    check = selectors.latest_check(library_on_linkedin)
    assert check is not None and check.checked_by is None
    assert not_met(check) == [Requirement.PUBLIC_RECORDS]
    # The logo is not in the text: Erik's judgement of it stands.
    sender = check.items.get(requirement=Requirement.SENDER)
    assert sender.result == Result.MET and not sender.automatic


def test_a_profile_change_seen_by_a_connector_is_checked_at_once(
    library_on_linkedin: Account, django_capture_on_commit_callbacks: Any
) -> None:
    capture_profile_text(
        library_on_linkedin, "Vara bibliotek. Lästips och evenemang.", django_capture_on_commit_callbacks
    )
    [check] = ProfileCheck.objects.filter(account=library_on_linkedin)
    assert check.checked_by is None and not check.passed
    assert Requirement.PUBLIC_RECORDS in not_met(check)
    # The same text again: nothing new to check.
    capture_profile_text(
        library_on_linkedin, "Vara bibliotek. Lästips och evenemang.", django_capture_on_commit_callbacks
    )
    capture_profile_text(
        library_on_linkedin,
        "Vara bibliotek – Vara kommun. Lästips och evenemang.",
        django_capture_on_commit_callbacks,
    )
    assert ProfileCheck.objects.filter(account=library_on_linkedin).count() == 2


def test_the_municipalitys_name_alone_does_not_make_it_the_sender(
    alice: User, library_on_linkedin: Account
) -> None:
    check = services.record_check(
        account=library_on_linkedin, by=alice, judgements={}, profile_text=COMPLETE_PROFILE + PUBLIC_RECORDS
    )
    assert not_met(check) == [Requirement.SENDER]
    assert not check.passed


def test_a_short_instagram_bio_that_carries_the_policy_link_meets_what_the_policy_page_states(
    alice: User, library_on_linkedin: Account
) -> None:
    account = library_on_linkedin
    account.platform = account.platform.__class__.objects.get(slug="instagram")
    bio = f"Vara bibliotek – Vara kommun. Regler och anmälan: {selectors.policy_url(account).removeprefix('https://')}"
    assert len(bio) <= 150
    check = services.record_check(account=account, by=alice, judgements=LOGO_SEEN, profile_text=bio)
    assert check.passed, not_met(check)
    without_link = services.record_check(
        account=account, by=alice, judgements=LOGO_SEEN, profile_text="Vara bibliotek – Vara kommun."
    )
    assert Requirement.PUBLIC_RECORDS in not_met(without_link)


def test_a_check_is_due_a_year_after_the_last_one() -> None:
    checked = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)
    assert not selectors.check_is_due(checked, now=checked + dt.timedelta(days=364))
    assert selectors.check_is_due(checked, now=checked + dt.timedelta(days=365))
    assert selectors.check_is_due(None, now=checked)


def test_a_check_is_due_after_a_connector_saw_the_profile_change() -> None:
    checked = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)
    now = checked + dt.timedelta(days=30)
    assert not selectors.check_is_due(checked, checked - dt.timedelta(days=1), now=now)
    assert selectors.check_is_due(checked, checked + dt.timedelta(days=2), now=now)
