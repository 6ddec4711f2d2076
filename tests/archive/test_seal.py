"""verify_archive finds every edited, deleted or inserted row and every changed file."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from sigill.archive import services
from sigill.archive.models import ArchiveEvent, Attachment, Item
from sigill.core import append_only
from sigill.registry.models import Account
from tests.archive.conftest import comment, picture, post
from tests.conftest import APPEND_ONLY_TABLES


@pytest.fixture
def archive(library: Account) -> Account:
    services.capture([post(library, "p-1", "Välkommen till sommarläsningen!", attachments=(picture(),))])
    services.capture([comment(library, "c-1", "Kul!"), comment(library, "c-2", "När börjar det?")])
    services.capture([comment(library, "c-2", "När börjar det? Och var?")])
    services.capture([comment(library, "c-1", "", seen_gone=True)])
    return library


def event(number: int) -> int:
    """The id of the archive's ``number``-th event (ids are not reset between tests on PostgreSQL)."""
    return ArchiveEvent.objects.order_by("id").values_list("id", flat=True)[number - 1]


@pytest.fixture
def tamper() -> Iterator[None]:
    """Lift the append-only triggers, as someone with direct database access could."""
    for table in APPEND_ONLY_TABLES:
        append_only.unprotect(connection, table)
    yield
    for table in APPEND_ONLY_TABLES:
        append_only.protect(connection, table)


def run_sql(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def verify_fails_with(*words: str) -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_archive", verbosity=0)
    message = str(failure.value)
    for word in words:
        assert word in message
    return message


def test_an_untouched_archive_verifies(archive: Account, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("verify_archive")
    assert "4 events" in capsys.readouterr().out


def test_an_edited_version_is_reported(archive: Account, tamper: None) -> None:
    run_sql("UPDATE archive_itemversion SET text = 'Något helt annat' WHERE number = 2")
    verify_fails_with("altered", "version")


def test_an_edited_item_is_reported(archive: Account, tamper: None) -> None:
    run_sql("UPDATE archive_item SET author_name = 'Någon annan' WHERE object_id = 'c-1'")
    verify_fails_with(f"event {event(2)}", "altered")


def test_a_deleted_row_is_reported(archive: Account, tamper: None) -> None:
    run_sql("DELETE FROM archive_itemfact")
    verify_fails_with(f"event {event(4)}", "removed or inserted")


def test_a_deleted_version_is_reported(archive: Account, tamper: None) -> None:
    run_sql("DELETE FROM archive_itemversion WHERE number = 2")
    verify_fails_with(f"event {event(3)}", "removed or inserted")


def test_an_inserted_row_is_reported(archive: Account, tamper: None) -> None:
    item = Item.objects.get(object_id="c-2")
    version = item.versions.get(number=1)
    run_sql(
        "INSERT INTO archive_itemversion (item_id, number, text, metadata, captured_at, source, fingerprint, "
        "event_id, seal) VALUES (%s, 3, 'Inskjuten', '{}', %s, 'api', 'x', %s, %s)",
        [item.pk, connection.ops.adapt_datetimefield_value(version.captured_at), version.event_id, "0" * 64],
    )
    verify_fails_with(f"event {event(2)}")


def test_a_resealed_edit_is_still_reported_by_the_event(archive: Account, tamper: None) -> None:
    """Someone who also rewrites the row's seal is caught by the event's digest of its rows."""
    version = Item.objects.get(object_id="c-2").versions.get(number=2)
    version.text = "Förfalskad"
    run_sql(
        "UPDATE archive_itemversion SET text = %s, seal = %s WHERE id = %s",
        [version.text, version.compute_seal(), version.pk],
    )
    verify_fails_with(f"event {event(3)}", "removed or inserted")


def test_a_deleted_event_with_its_rows_is_reported(archive: Account, tamper: None) -> None:
    run_sql("DELETE FROM archive_itemversion WHERE number = 2")
    doomed, after = event(3), event(4)
    run_sql("DELETE FROM archive_archiveevent WHERE id = %s", [doomed])
    verify_fails_with(f"event {after}", "does not link")


def test_an_edited_event_is_reported(archive: Account, tamper: None) -> None:
    run_sql("UPDATE archive_archiveevent SET source = 'manual' WHERE id = %s", [event(2)])
    verify_fails_with(f"event {event(2)}", "altered")


def test_a_changed_attachment_file_is_reported(archive: Account) -> None:
    name = Attachment.objects.get().storage_name
    default_storage.delete(name)
    default_storage.save(name, ContentFile(b"another picture"))
    verify_fails_with("changed", name)


def test_a_missing_attachment_file_is_reported(archive: Account) -> None:
    name = Attachment.objects.get().storage_name
    default_storage.delete(name)
    verify_fails_with("missing")
