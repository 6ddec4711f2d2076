"""The audit log: append-only in the database, hash-chained, and verifiable."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from sigill.core import append_only, audit
from sigill.core.models import AuditEntry
from sigill.organisation.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_entries(alice: User) -> list[AuditEntry]:
    return [
        audit.record("tests.first", actor=alice, target=alice, details={"n": 1}),
        audit.record("tests.second", actor=alice, details={"text": "Snöröjning på Torggatan åäö"}),
        audit.record("tests.third", actor_label="system"),
    ]


def test_each_entry_links_to_the_one_before(three_entries: list[AuditEntry]) -> None:
    first, second, third = three_entries
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert audit.verify_chain()[1] is None


def test_an_entry_records_who_did_what_to_which_object(alice: User) -> None:
    entry = audit.record("tests.looked", actor=alice, target=alice, details={"why": "test"})
    entry.refresh_from_db()
    assert (entry.actor_label, entry.act, entry.target_type, entry.target_id) == (
        "alice",
        "tests.looked",
        "organisation.user",
        str(alice.pk),
    )
    assert entry.hash == entry.content_hash()


def test_the_database_refuses_to_update_an_entry(three_entries: list[AuditEntry]) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=three_entries[0].pk).update(act="tests.rewritten")
    assert AuditEntry.objects.get(pk=three_entries[0].pk).act == "tests.first"


def test_the_database_refuses_to_delete_an_entry(three_entries: list[AuditEntry]) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=three_entries[1].pk).delete()
    assert AuditEntry.objects.count() >= 3


def _tamper(sql: str, params: list[Any]) -> None:
    """Change the log behind the application's back, as someone with database access could."""
    append_only.unprotect(connection, "core_auditentry")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    append_only.protect(connection, "core_auditentry")


def _verify_audit_fails_at(entry_id: int) -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", stdout=StringIO())
    message = str(failure.value)
    assert f"entry {entry_id}" in message
    return message


def test_verify_audit_reports_an_intact_log(three_entries: list[AuditEntry]) -> None:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "intact" in out.getvalue()
    assert three_entries[-1].hash in out.getvalue()


def test_verify_audit_catches_an_altered_entry(three_entries: list[AuditEntry]) -> None:
    second = three_entries[1]
    _tamper("UPDATE core_auditentry SET act = %s WHERE id = %s", ["tests.innocent", second.pk])
    assert "altered" in _verify_audit_fails_at(second.pk)


def test_verify_audit_catches_a_deleted_entry(three_entries: list[AuditEntry]) -> None:
    _tamper("DELETE FROM core_auditentry WHERE id = %s", [three_entries[1].pk])
    assert "removed or inserted" in _verify_audit_fails_at(three_entries[2].pk)


def test_verify_audit_catches_an_inserted_entry(three_entries: list[AuditEntry]) -> None:
    first, second, _third = three_entries
    # A forged entry that claims to follow the first one, slipped in after the last.
    forged = AuditEntry(
        created_at=second.created_at, act="tests.forged", actor_label="mallory", prev_hash=first.hash
    )
    forged.hash = forged.content_hash()
    forged.save(force_insert=True)
    assert "removed or inserted" in _verify_audit_fails_at(forged.pk)


def test_an_entry_rolls_back_with_the_change_it_records(alice: User) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record("tests.doomed", actor=alice)
        raise RuntimeError("the change failed")
    assert AuditEntry.objects.count() == before
