"""The capture pages: the overview, an account's coverage, connecting, and uploading an export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from sigill.archive.models import Item
from sigill.connectors import selectors
from sigill.connectors.exports.importing import import_uploaded
from sigill.connectors.models import CaptureRun, Connection
from sigill.core.todo import todos_for
from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.archive.conftest import make_library
from tests.conftest import signed_in_client
from tests.connectors.conftest import FIXTURES, connection_of


@pytest.fixture
def _immediate_tasks() -> Iterator[None]:
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ):
        yield


def failing_since(account: Account, hours: int, outcome: str = CaptureRun.Outcome.NEEDS_RECONNECT) -> None:
    """The account's syncs have failed for ``hours``."""
    started = timezone.now() - dt.timedelta(hours=hours)
    CaptureRun.objects.create(
        account=account,
        path="api",
        outcome=CaptureRun.Outcome.SUCCEEDED,
        started_at=started - dt.timedelta(hours=1),
        finished_at=started - dt.timedelta(minutes=59),
    )
    CaptureRun.objects.create(
        account=account,
        path="api",
        outcome=outcome,
        started_at=started,
        finished_at=started,
        error="(190/463) Error validating access token",
    )
    Connection.objects.filter(account=account).update(
        status=Connection.Status.NEEDS_RECONNECT,
        status_changed_at=started,
        last_error="(190/463) Error validating access token",
    )


def test_the_account_page_shows_the_sync_state_and_an_open_gap(
    vara_page: Account, erik: User, alice: User
) -> None:
    failing_since(vara_page, hours=30)
    url = reverse("connectors:account", kwargs={"slug": vara_page.slug})
    response = signed_in_client(erik).get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Error validating access token" in page and "fortfarande öppen" in page
    assert "Behöver anslutas på nytt" in page
    reconnect = reverse("connectors:reconnect", kwargs={"slug": vara_page.slug})
    assert reconnect not in page, "Erik sees the state; only comms reconnects"
    assert reconnect in signed_in_client(alice).get(url).content.decode()


def test_an_account_whose_platform_has_a_log_in_is_reconnected_by_logging_in_again(
    vara_page: Account, alice: User
) -> None:
    failing_since(vara_page, hours=3)
    url = reverse("connectors:account", kwargs={"slug": vara_page.slug})
    with override_settings(META_APP_ID="4711000000000042", META_APP_SECRET="fake-app-secret-not-real"):
        page = signed_in_client(alice).get(url).content.decode()
    assert "loggar in med <bdi>Facebook</bdi> igen" in page
    assert "Logga in med <bdi>Facebook</bdi> igen" in page
    assert reverse("oauth:account", kwargs={"slug": vara_page.slug}) in page
    assert "API-token i valvet" not in page, "no token to deposit where the platform has a log-in"


def test_an_account_whose_platform_has_no_log_in_set_up_is_told_to_deposit_a_new_token(
    vara_page: Account, alice: User
) -> None:
    failing_since(vara_page, hours=3)
    url = reverse("connectors:account", kwargs={"slug": vara_page.slug})
    with override_settings(META_APP_ID="", META_APP_SECRET=""):
        page = signed_in_client(alice).get(url).content.decode()
    assert "API-token i valvet" in page and "Logga in med <bdi>Facebook</bdi> igen" not in page
    assert reverse("connectors:reconnect", kwargs={"slug": vara_page.slug}) in page


def test_a_long_gap_is_flagged_on_the_start_page_of_comms_and_the_accounts_editors(
    vara_page: Account, alice: User, erik: User, bob: User
) -> None:
    failing_since(vara_page, hours=30)
    assert any(vara_page.display_name in t.title for t in todos_for(alice))
    assert any(vara_page.display_name in t.title for t in todos_for(erik))
    assert not any(vara_page.display_name in t.title for t in todos_for(bob)), "Bob's units do not own it"


def test_a_short_gap_is_listed_at_once_but_not_urgent_yet(vara_page: Account, alice: User) -> None:
    failing_since(vara_page, hours=2)
    [todo] = [t for t in todos_for(alice) if vara_page.display_name in t.title]
    assert not todo.urgent


def test_comms_reconnects_and_a_sync_is_queued(vara_page: Account, alice: User) -> None:
    failing_since(vara_page, hours=3)
    response = signed_in_client(alice).post(reverse("connectors:reconnect", kwargs={"slug": vara_page.slug}))
    assert response.status_code == 302
    connection = connection_of(vara_page)
    assert connection.status != Connection.Status.NEEDS_RECONNECT and connection.next_sync_at is not None


def test_comms_connects_an_account_and_a_wrong_interval_is_refused(vara_page: Account, alice: User) -> None:
    url = reverse("connectors:connect", kwargs={"slug": vara_page.slug})
    bad = signed_in_client(alice).post(url, {"remote_id": "104857392615487", "interval_minutes": 1})
    assert bad.status_code == 422
    good = signed_in_client(alice).post(url, {"remote_id": "104857392615487", "interval_minutes": 30})
    assert good.status_code == 302 and connection_of(vara_page).interval_minutes == 30


@pytest.mark.usefixtures("_immediate_tasks")
def test_an_uploaded_export_is_imported_by_the_worker_and_its_report_shown(
    vara_page: Account, erik: User, django_capture_on_commit_callbacks: Any
) -> None:
    upload = SimpleUploadedFile(
        "facebook-varakommun.zip",
        (FIXTURES / "facebook/dyi-export/facebook-varakommun-2025-03-14-Xk2pQ9.zip").read_bytes(),
        content_type="application/zip",
    )
    client = signed_in_client(erik)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("connectors:import"), {"account": vara_page.pk, "export": upload})
    assert response.status_code == 302
    run = CaptureRun.objects.get(account=vara_page, path="export")
    assert run.outcome == CaptureRun.Outcome.SUCCEEDED and run.started_by == erik
    assert Item.objects.filter(account=vara_page, source="export").count() == run.items > 0
    page = client.get(response["Location"]).content.decode()
    assert "facebook-varakommun.zip" in page and str(run.items) in page


def test_an_upload_is_kept_in_the_default_storage_so_a_worker_on_another_machine_can_import_it(
    vara_page: Account, erik: User, django_capture_on_commit_callbacks: Any, _media: Path
) -> None:
    """A storage that is not a local folder (an object store shared by the machines) gets the file;
    the worker imports from it and removes it."""
    memory = {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    upload = SimpleUploadedFile(
        "facebook-varakommun.zip",
        (FIXTURES / "facebook/dyi-export/facebook-varakommun-2025-03-14-Xk2pQ9.zip").read_bytes(),
    )
    with override_settings(STORAGES={**settings.STORAGES, "default": memory}):
        with django_capture_on_commit_callbacks(execute=False) as queued:
            signed_in_client(erik).post(
                reverse("connectors:import"), {"account": vara_page.pk, "export": upload}
            )
        run = CaptureRun.objects.get(account=vara_page, path="export")
        stored = f"imports/{run.pk}/facebook-varakommun.zip"
        assert default_storage.exists(stored) and not _media.exists()
        assert len(queued) == 1
        outcome = import_uploaded(run_id=str(run.pk), stored_name=stored)
        assert outcome == CaptureRun.Outcome.SUCCEEDED, CaptureRun.objects.get(pk=run.pk).error
        assert not default_storage.exists(stored)
    assert Item.objects.filter(account=vara_page, source="export").count() > 0


@pytest.mark.usefixtures("_immediate_tasks")
def test_an_uploaded_hostile_zip_shows_why_it_was_refused(
    vara_page: Account, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    upload = SimpleUploadedFile("bomb.zip", (FIXTURES / "hostile/zip_bomb.zip").read_bytes())
    client = signed_in_client(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("connectors:import"), {"account": vara_page.pk, "export": upload})
    page = client.get(response["Location"]).content.decode()
    assert "ser ut som en zip-bomb" in page and not Item.objects.exists()


def test_a_running_import_shows_its_progress_and_asks_for_it_again_until_it_ends(
    vara_page: Account, erik: User
) -> None:
    run = CaptureRun.objects.create(
        account=vara_page,
        path="export",
        details={"file": "facebook-varakommun.zip", "progress": 2000, "total": 5000},
    )
    url = reverse("connectors:import_run", kwargs={"pk": run.pk})
    client = signed_in_client(erik)
    page = client.get(url).content.decode()
    assert 'id="import-progress" max="5000" value="2000"' in page and "2000 av 5000" in page
    assert 'hx-trigger="every 2s"' in page
    CaptureRun.objects.filter(pk=run.pk).update(
        outcome=CaptureRun.Outcome.SUCCEEDED, details=run.details | {"progress": 5000, "found": {}}
    )
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "import-progress" not in done and "hx-trigger" not in done


def test_an_account_without_a_connection_shows_a_gap_since_its_last_capture(
    alice: User, erik: User, bob: User, units: dict[str, Any]
) -> None:
    library = make_library(alice, erik, bob, units)
    imported = timezone.now() - dt.timedelta(days=3)
    CaptureRun.objects.create(
        account=library,
        path="export",
        outcome=CaptureRun.Outcome.SUCCEEDED,
        started_at=imported,
        finished_at=imported,
    )
    response = signed_in_client(erik).get(reverse("connectors:account", kwargs={"slug": library.slug}))
    assert "Inget insamlat" in response.content.decode()
    gap = selectors.coverage(library, since=imported - dt.timedelta(days=1), until=timezone.now()).gaps
    assert [(g.start, g.end, g.reason) for g in gap] == [(imported, None, "nothing_captured")]


def test_the_coverage_of_many_accounts_is_each_ones_coverage_in_a_fixed_number_of_queries(
    vara_page: Account,
    alice: User,
    erik: User,
    bob: User,
    units: dict[str, Any],
    django_assert_num_queries: Any,
) -> None:
    failing_since(vara_page, hours=30)
    library = make_library(alice, erik, bob, units)
    now = timezone.now()
    since = now - dt.timedelta(hours=20)  # the page's gap opened before: it counts from here
    with django_assert_num_queries(5):
        many = selectors.coverage_of_many([vara_page, library], since=since, until=now)
    for account in (vara_page, library):
        assert many[account.pk].gaps == selectors.coverage(account, since=since, until=now).gaps
    assert [g.reason for g in many[vara_page.pk].gaps] == ["needs_reconnect"]
    assert many[vara_page.pk].gaps[0].start == since
    assert [g.reason for g in many[library.pk].gaps] == ["nothing_captured"]
