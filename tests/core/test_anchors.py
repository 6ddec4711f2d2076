"""With the audit log's head anchored outside the database, entries cut off its end, and a log
rewritten after its last anchor, are found by verify_audit, which says what is missing."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from sigill.core import anchors, append_only, audit
from sigill.core.models import AuditEntry
from sigill.organisation.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(alice: User) -> list[AuditEntry]:
    """Some acts, their head anchored by the scheduler's job, then three more acts, anchored too."""
    for n in range(3):
        audit.record("tests.before", actor=alice, details={"n": n})
    audit.anchor_head()
    for n in range(3):
        audit.record("tests.after", actor=alice, details={"n": n})
    audit.anchor_head()
    return list(AuditEntry.objects.order_by("id"))


def tamper(sql: str, params: list[Any] | None = None) -> None:
    """Change the log behind the application's back, as someone with database access could."""
    append_only.unprotect(connection, "core_auditentry")
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
    append_only.protect(connection, "core_auditentry")


def verify_fails(*args: str) -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", *args, stdout=StringIO())
    return str(failure.value)


def test_the_job_anchors_the_head_only_when_it_moved(alice: User, _anchor_file: Path) -> None:
    audit.record("tests.one", actor=alice)
    assert [head.chain for head in audit.anchor_head()] == ["audit"]
    assert audit.anchor_head() == []
    audit.record("tests.two", actor=alice)
    assert len(audit.anchor_head()) == 1
    heads = [anchors.Head.from_json(line) for line in _anchor_file.read_text().splitlines()]
    last = AuditEntry.objects.order_by("-id").first()
    assert last is not None
    assert (heads[-1].position, heads[-1].id, heads[-1].hash) == (
        AuditEntry.objects.count(),
        last.pk,
        last.hash,
    )
    assert heads[0].position == heads[-1].position - 1


def test_the_job_is_registered_with_the_scheduler() -> None:
    from sigill.core import scheduler

    assert "anchor_audit_head" in {job.name for job in scheduler.registered_jobs()}
    assert "anchor_archive_head" in {job.name for job in scheduler.registered_jobs()}


def test_an_anchored_log_verifies_and_says_up_to_which_head(log: list[AuditEntry]) -> None:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "intact" in out.getvalue()
    assert "matches 2 anchors in" in out.getvalue()
    assert f"up to the head link {len(log)} (id {log[-1].pk}" in out.getvalue()


def test_the_last_three_entries_deleted_are_reported_as_missing(log: list[AuditEntry]) -> None:
    tamper("DELETE FROM core_auditentry WHERE id > %s", [log[-4].pk])
    message = verify_fails()
    total = len(log)
    assert f"cut short: it ends at link {total - 3}" in message
    assert f"3 entries are missing after link {total - 3} (id {log[-4].pk}, written" in message
    assert f"links {total - 2}–{total} up to id {log[-1].pk}" in message
    assert "still matches the anchor of" in message and f"at link {total - 3}" in message


def test_the_last_entry_deleted_is_found_with_a_head_given_on_the_command_line(log: list[AuditEntry]) -> None:
    head = f"{len(log)}:{log[-1].hash}"
    Path(anchors.anchor_file()).unlink()  # the attacker removed the local anchor file too
    tamper("DELETE FROM core_auditentry WHERE id = %s", [log[-1].pk])
    message = verify_fails("--head", head)
    assert "Against the head given" in message
    assert "1 entry is missing" in message


def test_an_entry_deleted_in_the_middle_is_reported(log: list[AuditEntry]) -> None:
    tamper("DELETE FROM core_auditentry WHERE id = %s", [log[-5].pk])
    message = verify_fails()
    assert f"broken at entry {log[-4].pk}" in message
    assert "is not the anchored link" in message  # the anchored entries moved up one place


def test_an_entry_inserted_in_the_middle_is_reported(log: list[AuditEntry]) -> None:
    tamper(
        "UPDATE core_auditentry SET prev_hash = %s WHERE id = %s",
        ["f" * 64, log[-2].pk],
    )
    assert "broken at entry" in verify_fails()


def test_a_log_rewritten_after_the_anchor_is_reported(log: list[AuditEntry], alice: User) -> None:
    """Someone who deletes the last entries and writes new, correctly linked ones in their place
    passes the chain's own check; the anchor still catches it."""
    tamper("DELETE FROM core_auditentry WHERE id > %s", [log[-4].pk])
    append_only.unprotect(connection, "core_auditentry")
    for n in range(3):
        audit.record("tests.forged", actor=alice, details={"n": n})
    append_only.protect(connection, "core_auditentry")
    assert audit.verify_chain()[1] is None  # the chain alone holds
    message = verify_fails()
    assert f"was rewritten: link {len(log)} is not the anchored link {len(log)}" in message


def test_without_anchors_verify_says_truncation_cannot_be_seen(alice: User) -> None:
    audit.record("tests.one", actor=alice)
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "cannot be detected" in out.getvalue()
