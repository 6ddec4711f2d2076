"""With the archive's head anchored outside the database, events cut off the chain's end, and a
chain rewritten after its last anchor, are found by verify_archive, which says what is missing."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sigill.archive import seal, services
from sigill.archive.models import ArchiveEvent, ItemVersion, digest_of
from sigill.core import anchors
from sigill.registry.models import Account
from tests.archive.conftest import comment
from tests.archive.test_seal import archive, event, run_sql, tamper

__all__ = ["archive", "tamper"]  # fixtures shared with test_seal


def verify(*args: str) -> str:
    out = StringIO()
    call_command("verify_archive", *args, stdout=out, verbosity=0)
    return out.getvalue()


def verify_fails(*args: str) -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_archive", *args, stdout=StringIO(), verbosity=0)
    return str(failure.value)


def delete_event_with_its_rows(event_id: int) -> None:
    """Remove an event and everything it stored, search entries too, as an attacker would."""
    run_sql(
        "DELETE FROM archive_searchentry WHERE item_id IN (SELECT id FROM archive_item WHERE event_id = %s)",
        [event_id],
    )
    for table in ["archive_attachment", "archive_itemfact", "archive_itemversion", "archive_item"]:
        run_sql(f"DELETE FROM {table} WHERE event_id = %s", [event_id])  # noqa: S608
    run_sql("DELETE FROM archive_archiveevent WHERE id = %s", [event_id])


def test_the_scheduler_job_anchors_the_head_once_each_time_it_moves(
    archive: Account, _anchor_file: Path
) -> None:
    first = seal.anchor_head()
    assert [(head.chain, head.position) for head in first] == [("archive", 4)]
    assert seal.anchor_head() == []  # nothing moved: nothing written
    services.capture([comment(archive, "c-3", "Tack!")])
    assert [head.position for head in seal.anchor_head()] == [5]
    lines = _anchor_file.read_text().splitlines()
    assert [anchors.Head.from_json(line).position for line in lines] == [4, 5]
    assert anchors.Head.from_json(lines[-1]).hash == ArchiveEvent.objects.order_by("-id").first().hash  # type: ignore[union-attr]


def test_an_anchored_archive_verifies_and_says_up_to_which_head(archive: Account) -> None:
    seal.anchor_head()
    out = verify()
    assert "matches 1 anchor in" in out
    assert "up to the head link 4" in out


def test_without_an_anchor_verify_says_that_truncation_cannot_be_seen(archive: Account) -> None:
    assert "cannot be detected" in verify()


def test_the_last_event_deleted_with_its_rows_is_reported_as_missing(archive: Account, tamper: None) -> None:
    seal.anchor_head()
    last = event(4)
    delete_event_with_its_rows(last)
    message = verify_fails()
    assert "cut short: it ends at link 3" in message
    assert f"1 event is missing after link 3 (id {event(3)}, written" in message
    assert f"link 4 up to id {last}" in message


def test_events_cut_after_an_older_anchor_say_since_which_anchor_the_chain_holds(
    archive: Account, tamper: None
) -> None:
    seal.anchor_head()
    services.capture([comment(archive, "c-3", "Tack!")])
    services.capture([comment(archive, "c-4", "Bra initiativ")])
    seal.anchor_head()
    delete_event_with_its_rows(event(6))
    delete_event_with_its_rows(event(5))
    message = verify_fails()
    assert "2 events are missing after link 4" in message
    assert "links 5–6" in message
    assert "still matches the anchor of" in message and "at link 4" in message


def test_a_head_given_on_the_command_line_finds_the_truncation(archive: Account, tamper: None) -> None:
    head = seal.CHAIN.head()
    assert head is not None
    delete_event_with_its_rows(event(4))
    message = verify_fails("--head", f"{head.position}:{head.hash}")
    assert "Against the head given" in message
    assert "1 event is missing after link 3" in message


def test_an_anchor_file_copy_given_on_the_command_line_is_used(
    archive: Account, tamper: None, tmp_path: Path
) -> None:
    shipped = tmp_path / "shipped.jsonl"
    seal.anchor_head()
    shipped.write_text(anchors.anchor_file().read_text())
    anchors.anchor_file().unlink()  # the attacker removes the local file too
    delete_event_with_its_rows(event(4))
    assert "1 event is missing" in verify_fails("--anchors", str(shipped))


def test_an_event_deleted_in_the_middle_is_reported_by_the_chain_and_the_anchor(
    archive: Account, tamper: None
) -> None:
    seal.anchor_head()
    delete_event_with_its_rows(event(3))
    message = verify_fails()
    assert "does not link" in message or "removed or inserted" in message
    assert "cut short" in message


def test_an_event_inserted_in_the_middle_is_reported(archive: Account, tamper: None) -> None:
    seal.anchor_head()
    before = ArchiveEvent.objects.get(pk=event(2))
    forged = ArchiveEvent(
        act=ArchiveEvent.Act.FACT,
        created_at=before.created_at,
        row_count=0,
        rows_digest=digest_of([]),
        prev_hash=before.hash,
    )
    forged.hash = forged.content_hash()
    forged.save(force_insert=True)  # appended by id, but claiming the place after event 2
    message = verify_fails()
    assert "does not link" in message


def test_a_chain_rewritten_after_the_anchor_is_reported(archive: Account, tamper: None) -> None:
    """Someone who deletes the last event and seals a forged one in its place, linked correctly,
    passes the chain's own check; the anchor still catches it."""
    seal.anchor_head()
    delete_event_with_its_rows(event(4))
    previous = ArchiveEvent.objects.order_by("-id")[0]
    forged = ArchiveEvent(
        act=ArchiveEvent.Act.FACT,
        created_at=previous.created_at,
        row_count=0,
        rows_digest=digest_of([]),
        prev_hash=previous.hash,
    )
    forged.hash = forged.content_hash()
    forged.save(force_insert=True)
    assert seal.verify().broken is None  # the chain alone holds
    message = verify_fails()
    assert "was rewritten: link 4 is not the anchored link 4" in message


def test_a_broken_anchor_file_is_refused_with_its_line(archive: Account, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"chain": "archive"}\n')
    assert "bad.jsonl, line 1: not an anchored head" in verify_fails("--anchors", str(bad))
    assert "is not POSITION:HASH" in verify_fails("--head", "4:abc")


def test_versions_kept_after_the_anchor_verify(archive: Account) -> None:
    seal.anchor_head()
    services.capture([comment(archive, "c-2", "Ändrad igen")])
    assert ItemVersion.objects.filter(number=3).exists()
    assert "up to the head link 4" in verify()
