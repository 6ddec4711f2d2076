"""Runs that die are failures: a crashed or killed import is marked failed with its cause, its gap
shows in the coverage report, and the uploaded file is kept until it is imported or discarded, as
is the file of an import refused as unreadable."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection as db_connection
from django.urls import reverse
from django.utils import timezone, translation

from sigill.archive.capture import Source
from sigill.archive.models import Item
from sigill.connectors import runs, selectors
from sigill.connectors.exports.importing import import_export, import_uploaded
from sigill.connectors.models import CaptureRun
from sigill.core.models import AuditEntry
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.conftest import signed_in_client
from tests.connectors.conftest import FIXTURES
from tests.connectors.test_exports import account_on

EXPORT = FIXTURES / "facebook/dyi-export/facebook-varakommun-2025-03-14-Xk2pQ9.zip"


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def people(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> dict[str, Any]:
    return {"alice": alice, "erik": erik, "bob": bob, "units": units}


@pytest.fixture
def page(people: dict[str, Any]) -> Account:
    return account_on("facebook", people, "facebook.com/varakommun")


def gaps_of(account: Account, run: CaptureRun, *, closed: bool = False) -> list[tuple[str, str]]:
    report = selectors.coverage(
        account, since=run.started_at - dt.timedelta(hours=1), until=timezone.now() + dt.timedelta(minutes=1)
    )
    return [(gap.path, gap.reason) for gap in report.gaps if (gap.end is not None) == closed]


def a_dead_process() -> int:
    """The id of a real process of this machine that was killed with SIGKILL."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    process.send_signal(signal.SIGKILL)
    process.wait()
    return process.pid


def test_an_import_whose_worker_was_killed_is_marked_failed_by_the_watchdog_with_its_gap(
    page: Account, erik: User
) -> None:
    worker = f"{socket.gethostname()}:{a_dead_process()}"
    run = runs.start_run(
        account=page, path=Source.EXPORT, by=erik, details={"file": "fb.zip", **runs.heartbeat(worker)}
    )
    alive = runs.start_run(
        account=page,
        path=Source.EXPORT,
        by=erik,
        details={"file": "other.zip", **runs.heartbeat(f"{socket.gethostname()}:{os.getpid()}")},
    )
    assert runs.fail_dead_runs() == 1
    run.refresh_from_db()
    assert run.outcome == CaptureRun.Outcome.FAILED and run.finished_at is not None
    assert "killed or crashed" in run.error and worker in run.error
    assert CaptureRun.objects.get(pk=alive.pk).outcome == CaptureRun.Outcome.RUNNING
    assert ("export", "failed") in gaps_of(page, run)
    assert AuditEntry.objects.filter(act="connectors.run.died").count() == 1
    assert runs.fail_dead_runs() == 0, "a run is marked once"


def test_a_run_on_another_machine_is_dead_only_when_it_has_written_no_progress_for_an_hour(
    page: Account, erik: User
) -> None:
    run = runs.start_run(
        account=page,
        path=Source.EXPORT,
        by=erik,
        details={"file": "fb.zip", **runs.heartbeat("worker-2.vara.se:4711")},
    )
    assert runs.fail_dead_runs() == 0
    assert runs.fail_dead_runs(now=timezone.now() + runs.DEAD_AFTER + dt.timedelta(minutes=1)) == 1
    run.refresh_from_db()
    assert run.outcome == CaptureRun.Outcome.FAILED and "has written no progress since" in run.error


def test_an_import_that_crashes_is_marked_failed_with_its_cause_and_its_upload_is_kept(
    page: Account, erik: User, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    stored = default_storage.save("imports/crash/facebook-varakommun.zip", ContentFile(EXPORT.read_bytes()))
    run = runs.start_run(
        account=page, path=Source.EXPORT, by=erik, details={"file": "facebook-varakommun.zip"}
    )

    def out_of_memory(done: int, total: int) -> None:
        raise MemoryError("the worker ran out of memory")

    with pytest.raises(MemoryError):
        import_uploaded(run_id=str(run.pk), stored_name=stored, progress=out_of_memory)
    run.refresh_from_db()
    assert run.outcome == CaptureRun.Outcome.FAILED
    assert (
        "the import stopped on an unexpected error (MemoryError: the worker ran out of memory)" in run.error
    )
    assert default_storage.exists(stored), "the upload is kept for another try"
    assert ("export", "failed") in gaps_of(page, run)

    client = signed_in_client(people["alice"])  # comms
    shown = client.get(reverse("connectors:import_run", kwargs={"pk": run.pk})).content.decode()
    assert "MemoryError" in shown and "Försök importera igen" in shown and "Släng filen" in shown
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("connectors:import_retry", kwargs={"pk": run.pk}))
    again = CaptureRun.objects.get(details__retry_of=str(run.pk))
    assert response.status_code == 302 and len(queued) == 1
    assert import_uploaded(run_id=str(again.pk), stored_name=stored) == CaptureRun.Outcome.SUCCEEDED
    assert not default_storage.exists(stored), "imported: the upload is removed"
    stored_before = run.items  # the batch committed before the crash is kept, not stored twice
    assert (
        Item.objects.filter(account=page).count() == stored_before + CaptureRun.objects.get(pk=again.pk).items
    )
    assert ("export", "failed") in gaps_of(page, run, closed=True), "the successful import closes the gap"


def test_the_user_can_discard_the_file_a_failed_import_kept(
    page: Account, erik: User, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    stored = default_storage.save("imports/crash2/facebook-varakommun.zip", ContentFile(EXPORT.read_bytes()))
    run = runs.start_run(
        account=page, path=Source.EXPORT, by=erik, details={"file": "facebook-varakommun.zip"}
    )

    def crash(done: int, total: int) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        import_uploaded(run_id=str(run.pk), stored_name=stored, progress=crash)
    with django_capture_on_commit_callbacks(execute=True):
        signed_in_client(people["alice"]).post(reverse("connectors:import_discard", kwargs={"pk": run.pk}))
    assert not default_storage.exists(stored)
    run.refresh_from_db()
    assert run.outcome == CaptureRun.Outcome.FAILED and run.details["discarded"] is True
    assert AuditEntry.objects.filter(act="connectors.export.discarded").count() == 1


@pytest.mark.skipif(
    db_connection.vendor != "postgresql",
    reason="the killed import is another process; SQLite's test database is in this one's memory",
)
@pytest.mark.django_db(transaction=True)
def test_an_import_killed_hard_shows_as_failed_with_its_gap_in_the_coverage_report(
    people: dict[str, Any], tmp_path: Path
) -> None:
    page = account_on("facebook", people, "facebook.com/varakommun")
    db_connection.close()  # the child opens its own
    child = os.fork()
    if child == 0:  # pragma: no cover - the killed worker

        def kill_hard(done: int, total: int) -> None:
            os.kill(os.getpid(), signal.SIGKILL)

        try:
            import_export(account=page, location=EXPORT, by=people["erik"], progress=kill_hard)
        finally:
            os._exit(1)
    _, status = os.waitpid(child, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    killed = CaptureRun.objects.get(account=page, path="export")
    assert killed.outcome == CaptureRun.Outcome.RUNNING and killed.items > 0, "one batch was committed"
    assert runs.fail_dead_runs() == 1
    killed.refresh_from_db()
    assert killed.outcome == CaptureRun.Outcome.FAILED and f":{child}" in killed.error
    assert ("export", "failed") in gaps_of(page, killed)


def test_a_file_refused_over_a_limit_is_kept_and_imports_when_tried_again_after_the_limit_is_raised(
    page: Account,
    erik: User,
    people: dict[str, Any],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    stored = default_storage.save("imports/limit/facebook-varakommun.zip", ContentFile(EXPORT.read_bytes()))
    run = runs.start_run(
        account=page, path=Source.EXPORT, by=erik, details={"file": "facebook-varakommun.zip"}
    )
    settings.EXPORT_MAX_ENTRIES = 2
    assert import_uploaded(run_id=str(run.pk), stored_name=stored) == CaptureRun.Outcome.REFUSED
    assert default_storage.exists(stored), "a refused upload is kept too"
    assert not Item.objects.filter(account=page).exists(), "nothing half-written"

    client = signed_in_client(people["alice"])
    url = reverse("connectors:import_run", kwargs={"pk": run.pk})
    shown = client.get(url).content.decode()
    assert "holds more than the 2 entries a file may hold" in shown
    assert "Inget från filen sparades." in shown
    assert "Försök importera igen" in shown and "Släng filen" in shown

    settings.EXPORT_MAX_ENTRIES = 5_000_000
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("connectors:import_retry", kwargs={"pk": run.pk}))
        again_response = client.post(reverse("connectors:import_retry", kwargs={"pk": run.pk}))
    again = CaptureRun.objects.get(details__retry_of=str(run.pk))
    assert response.status_code == 302 and len(queued) == 1, "a second click starts nothing more"
    assert again_response["Location"] == url
    assert import_uploaded(run_id=str(again.pk), stored_name=stored) == CaptureRun.Outcome.SUCCEEDED
    assert not default_storage.exists(stored), "imported: the upload is removed"
    assert Item.objects.filter(account=page).count() == CaptureRun.objects.get(pk=again.pk).items > 0
    assert AuditEntry.objects.filter(act="connectors.export.retried").count() == 1
    shown = client.get(url).content.decode()
    assert reverse("connectors:import_run", kwargs={"pk": again.pk}) in shown
    assert "Försök importera igen" not in shown


def test_a_truncated_file_is_refused_kept_and_can_be_discarded_once(
    page: Account, erik: User, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    whole = EXPORT.read_bytes()
    stored = default_storage.save(
        "imports/cut/facebook-varakommun.zip", ContentFile(whole[: len(whole) // 2])
    )
    run = runs.start_run(
        account=page, path=Source.EXPORT, by=erik, details={"file": "facebook-varakommun.zip"}
    )
    assert import_uploaded(run_id=str(run.pk), stored_name=stored) == CaptureRun.Outcome.REFUSED
    assert default_storage.exists(stored)
    client = signed_in_client(people["alice"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("connectors:import_discard", kwargs={"pk": run.pk}))
        second = client.post(reverse("connectors:import_discard", kwargs={"pk": run.pk}), follow=True)
    assert not default_storage.exists(stored)
    assert "Bara en misslyckad eller avvisad import" in second.content.decode()
    run.refresh_from_db()
    assert run.outcome == CaptureRun.Outcome.REFUSED and run.details["discarded"] is True
    assert AuditEntry.objects.filter(act="connectors.export.discarded").count() == 1
    assert (
        "Filen har slängts."
        in client.get(reverse("connectors:import_run", kwargs={"pk": run.pk})).content.decode()
    )


def test_an_import_the_watchdog_found_dead_offers_its_kept_file_for_another_try(
    page: Account, erik: User, people: dict[str, Any]
) -> None:
    stored = default_storage.save("imports/dead/facebook-varakommun.zip", ContentFile(EXPORT.read_bytes()))
    worker = f"{socket.gethostname()}:{a_dead_process()}"
    run = runs.start_run(
        account=page,
        path=Source.EXPORT,
        by=erik,
        details={"file": "facebook-varakommun.zip", "upload": stored, **runs.heartbeat(worker)},
    )
    assert runs.fail_dead_runs() == 1
    shown = signed_in_client(people["alice"]).get(reverse("connectors:import_run", kwargs={"pk": run.pk}))
    assert "Försök importera igen" in shown.content.decode() and default_storage.exists(stored)
