"""Closing an account end to end: the steps, the registry, the vault, the e-archive package."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from sigill.archive import services as archive_services
from sigill.archive.models import Item
from sigill.core.models import AuditEntry
from sigill.organisation.models import Unit, User
from sigill.records.models import AccountClosure
from sigill.records.services import closure as services
from sigill.registry import selectors as registry_selectors
from sigill.registry.models import Account
from sigill.vault.models import Credential
from tests.archive.conftest import comment
from tests.conftest import signed_in_client
from tests.connectors.conftest import PAGE_ID, connect
from tests.connectors.graph import mount_page
from tests.records.conftest import capture_thread
from tests.records.test_earchive import assert_valid_package
from tests.vault.conftest import deposit


@pytest.fixture
def closing(library: Account, alice: User) -> AccountClosure:
    capture_thread(library, comments=3)
    deposit(library, alice)
    return services.start(account=library, reason="Biblioteket samlar sig på kommunens konto.", by=alice)


@pytest.fixture
def no_chromium() -> Iterator[None]:
    """The profile cannot be rendered here: the capture step needs no snapshot."""
    with override_settings(SNAPSHOT_CHROMIUM="/nonexistent/chromium"):
        yield


@pytest.fixture
def _immediate_tasks() -> Iterator[None]:
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ):
        yield


@pytest.fixture
def vara_page(alice: User, erik: User, bob: User, units: dict[str, Unit], profile_url: str) -> Account:
    """Vara kommun's Facebook Page, connected, its profile served locally for Chromium to render."""
    account = connect(
        "facebook", "facebook.com/varakommun", PAGE_ID, alice=alice, erik=erik, bob=bob, units=units
    )
    Account.objects.filter(pk=account.pk).update(profile_url=profile_url)
    return Account.objects.get(pk=account.pk)


@pytest.mark.skipif(not shutil.which(settings.SNAPSHOT_CHROMIUM), reason="Debian's Chromium is not installed")
@pytest.mark.usefixtures("_immediate_tasks")
def test_comms_closes_an_account_end_to_end(vara_page: Account, alice: User, httpx2_mock: Any) -> None:
    """Alice runs the final sync and the profile snapshot from the closure's page, makes the
    e-archive package, retires the credentials and revokes the editors, and closes the account."""
    mount_page(httpx2_mock)
    closing = services.start(account=vara_page, reason="Kommunen samlar sig på ett konto.", by=alice)
    assert vara_page in registry_selectors.public_accounts()
    assert {step.code for step in services.open_steps(closing)} == {
        "capture",
        "earchive",
        "credentials",
        "editors",
    }
    client = signed_in_client(alice)
    client.post(reverse("records:closure_act", args=[closing.pk, "sync"]))
    assert "capture" in {step.code for step in services.open_steps(closing)}, "the snapshot is still missing"
    client.post(reverse("records:closure_act", args=[closing.pk, "snapshot"]))
    assert "capture" not in {step.code for step in services.open_steps(closing)}
    for action in ("earchive", "credentials", "editors"):
        assert client.post(reverse("records:closure_act", args=[closing.pk, action])).status_code == 302
    assert services.open_steps(closing) == []
    services.close(closure=closing, by=alice)

    assert vara_page not in registry_selectors.public_accounts()
    assert Account.objects.get(pk=vara_page.pk).status == Account.Status.CLOSED
    credentials = list(Credential.objects.filter(account=vara_page))
    assert credentials and all(c.retired_at is not None and c.present_fields == [] for c in credentials)
    closing.refresh_from_db()
    root = Path(settings.MEDIA_ROOT) / "earchive" / closing.earchive_package
    assert_valid_package(root)
    records = list(root.glob("representations/rep1-json/data/records/*.json"))
    assert len(records) == Item.objects.filter(account=vara_page).count() == 16  # 15 synced, 1 snapshot
    assert AuditEntry.objects.filter(act="records.closure.final_sync").exists()
    assert AuditEntry.objects.filter(act="records.closure.snapshot").exists()
    assert AuditEntry.objects.filter(act="records.closure.closed").exists()


@pytest.mark.usefixtures("no_chromium")
def test_a_capture_after_the_start_is_not_a_final_capture(closing: AccountClosure, library: Account) -> None:
    """A webhook or a single comment captured meanwhile does not make the account's final capture."""
    archive_services.capture([comment(library, "c-last", "Sista kommentaren.", parent_platform_id="p-1")])
    capture = next(step for step in services.steps(closing) if step.code == "capture")
    assert not capture.done and "Ingen fullständig synkronisering" in capture.detail


@pytest.mark.usefixtures("no_chromium")
def test_a_package_made_before_the_final_capture_must_be_made_again(
    closing: AccountClosure, alice: User
) -> None:
    services.make_package(closure=closing, by=alice)
    assert "earchive" in {step.code for step in services.open_steps(closing)}
    services.record_manual_capture(closure=closing, note="Export från plattformen, dnr KS 2026/12.", by=alice)
    earchive = next(step for step in services.steps(closing) if step.code == "earchive")
    assert not earchive.done and "före den slutliga" in earchive.detail
    services.make_package(closure=closing, by=alice)
    assert {step.code for step in services.open_steps(closing)} == {"credentials", "editors"}


@pytest.mark.skipif(not shutil.which(settings.SNAPSHOT_CHROMIUM), reason="Debian's Chromium is not installed")
def test_where_the_profile_can_be_rendered_a_manual_capture_alone_is_not_enough(
    closing: AccountClosure, alice: User
) -> None:
    services.record_manual_capture(closure=closing, note="Export från plattformen, dnr KS 2026/12.", by=alice)
    capture = next(step for step in services.steps(closing) if step.code == "capture")
    assert not capture.done and "ingen ögonblicksbild av profilen" in capture.detail


def test_an_account_without_a_connection_cannot_start_a_final_sync(
    closing: AccountClosure, alice: User
) -> None:
    response = signed_in_client(alice).post(
        reverse("records:closure_act", args=[closing.pk, "sync"]), follow=True
    )
    assert "har ingen anslutning till sin plattform" in response.content.decode()
    assert not AuditEntry.objects.filter(act="records.closure.final_sync").exists()


def test_an_open_step_stops_the_closing_unless_comms_says_why(closing: AccountClosure, alice: User) -> None:
    with pytest.raises(ValidationError):
        services.close(closure=closing, by=alice)
    assert Account.objects.get(pk=closing.account_id).status == Account.Status.CLOSING
    services.close(closure=closing, by=alice, override_reason="Plattformen stängde kontot innan vi hann.")
    entry = AuditEntry.objects.get(act="records.closure.closed")
    assert entry.details["override_reason"].startswith("Plattformen")
    assert set(entry.details["open_steps"]) == {"capture", "earchive", "credentials", "editors"}


@pytest.mark.usefixtures("no_chromium")
def test_a_manual_capture_satisfies_the_capture_step(
    closing: AccountClosure, alice: User, dana: User
) -> None:
    services.record_manual_capture(closure=closing, note="Skärmbild av profilen, dnr KS 2026/12.", by=alice)
    assert "capture" not in {step.code for step in services.open_steps(closing)}
    response = signed_in_client(dana).post(reverse("records:closure_act", args=[closing.pk, "close"]))
    assert response.status_code == 403  # the registrar follows, comms closes


def test_the_closure_page_shows_each_step(closing: AccountClosure, alice: User) -> None:
    client = signed_in_client(alice)
    page = client.get(closing.get_absolute_url()).content.decode()
    assert page.count("status--closing") >= 4
    refused = client.post(reverse("records:closure_act", args=[closing.pk, "close"]), {"override_reason": ""})
    assert refused.status_code == 422


@pytest.mark.usefixtures("no_chromium")
def test_an_export_file_imported_after_the_start_is_a_final_capture(closing: AccountClosure) -> None:
    """For an account without an API connection: the platform's export file, imported to the end."""
    from django.utils import timezone

    from sigill.connectors.models import CaptureRun

    CaptureRun.objects.create(account=closing.account, path="export", outcome=CaptureRun.Outcome.REFUSED,
                              finished_at=timezone.now())  # fmt: skip
    assert "capture" in {step.code for step in services.open_steps(closing)}, "a refused file is no capture"
    CaptureRun.objects.create(account=closing.account, path="export", outcome=CaptureRun.Outcome.SUCCEEDED,
                              finished_at=timezone.now())  # fmt: skip
    assert "capture" not in {step.code for step in services.open_steps(closing)}
