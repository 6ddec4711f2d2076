"""The archive's hash chain: extending it, and verifying it with every sealed row and stored file.

Writers extend the chain inside the transaction that stores the rows, after taking the chain's
lock (an advisory lock on PostgreSQL; SQLite serialises writers with BEGIN IMMEDIATE), so two
workers never extend the same link and never both store the same platform object.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import F
from django.utils import timezone

from sigill.archive.models import (
    ArchiveEvent,
    Attachment,
    DisposedRow,
    Item,
    ItemFact,
    ItemVersion,
    Sealed,
    SearchEntry,
    digest_of,
    storage_name,
)
from sigill.core import anchors, timestamps
from sigill.core.audit import ChainBreak, first_break
from sigill.core.backup.manifest import sha256_of_stream
from sigill.core.models import GENESIS_HASH

# An arbitrary, fixed key for PostgreSQL's advisory lock over the archive's chain.
_CHAIN_LOCK_KEY = 0x5161_A4C1

# Its head is anchored outside the database (archive.jobs), so that events cut off its end are found.
CHAIN = anchors.register("archive", ArchiveEvent, noun="event")


def lock_chain() -> None:
    """Serialise writers of the chain until the current transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def append_event(
    *,
    act: str,
    seals: list[str],
    source: str = "",
    actor: Any = None,
    details: dict[str, Any] | None = None,
) -> ArchiveEvent:
    """Add the chain link that seals the rows with ``seals`` (call :func:`lock_chain` first)."""
    last_hash = ArchiveEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    event = ArchiveEvent(
        act=act,
        created_at=timezone.now(),
        source=source,
        actor=actor,
        actor_label=actor.get_username() if actor is not None else "",
        row_count=len(seals),
        rows_digest=digest_of(seals),
        details=details or {},
        prev_hash=last_hash or GENESIS_HASH,
    )
    event.hash = event.content_hash()
    event.save(force_insert=True)
    return event


def seal_row(row: Sealed, content: dict[str, Any]) -> str:
    row.seal = row.seal_with(content)
    return row.seal


@dataclass(frozen=True)
class Report:
    events: int
    rows: int
    files: int
    broken: ChainBreak | None
    bad_files: list[str]
    # The disposal events in the chain: each removed rows under a retention rule.
    disposals: list[ArchiveEvent] = field(default_factory=list)
    # Where the search index's restrictions differ from the sealed facts.
    index_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.broken is None and not self.bad_files and not self.index_problems


def _sealed_rows() -> Iterator[tuple[int, list[tuple[str, str, str]]]]:
    """Every sealed row as (event id, [(label, stored seal, recomputed seal)]), grouped by event.

    The four tables are read in event order and merged, so memory holds one event's rows at a time.
    Versions, attachments and facts are sealed with their item's natural key, read by a join.
    """

    def items() -> Iterator[tuple[int, str, str, str]]:
        for item in Item.objects.order_by("event_id", "id").iterator(chunk_size=2000):
            yield item.event_id, f"item {item.pk}", item.seal, item.compute_seal()

    def versions() -> Iterator[tuple[int, str, str, str]]:
        rows = ItemVersion.objects.order_by("event_id", "id").annotate(
            key_account=F("item__account_id"), key_object=F("item__object_id")
        )
        for version in rows.iterator(chunk_size=2000):
            content = version.canonical_with([version.key_account, version.key_object])
            yield version.event_id, f"version {version.pk}", version.seal, version.seal_with(content)

    def attachments() -> Iterator[tuple[int, str, str, str]]:
        rows = Attachment.objects.order_by("event_id", "id").annotate(
            key_account=F("version__item__account_id"),
            key_object=F("version__item__object_id"),
            key_number=F("version__number"),
        )
        for row in rows.iterator(chunk_size=2000):
            key = [row.key_account, row.key_object]
            content = row.canonical_with(key, row.key_number)
            yield row.event_id, f"attachment {row.pk}", row.seal, row.seal_with(content)

    def facts() -> Iterator[tuple[int, str, str, str]]:
        rows = ItemFact.objects.order_by("event_id", "id").annotate(
            key_account=F("item__account_id"), key_object=F("item__object_id")
        )
        for fact in rows.iterator(chunk_size=2000):
            content = fact.canonical_with([fact.key_account, fact.key_object])
            yield fact.event_id, f"fact {fact.pk}", fact.seal, fact.seal_with(content)

    def disposed_from() -> Iterator[tuple[int, str, str, str]]:
        """Rows a disposal removed, counted with the event that stored them: the seal recorded at
        disposal stands for the row (its content is gone, so there is nothing to recompute)."""
        for row in DisposedRow.objects.order_by("original_event_id", "id").iterator(chunk_size=2000):
            yield row.original_event_id, f"disposed {row.table} {row.row_id}", row.seal, row.seal

    def disposed_by() -> Iterator[tuple[int, str, str, str]]:
        """The same rows, counted with the disposal event whose digest is over their seals."""
        for row in DisposedRow.objects.order_by("disposal_event_id", "id").iterator(chunk_size=2000):
            yield row.disposal_event_id, f"disposal of {row.table} {row.row_id}", row.seal, row.seal

    streams = [
        _grouped(items()),
        _grouped(versions()),
        _grouped(attachments()),
        _grouped(facts()),
        _grouped(disposed_from()),
        _grouped(disposed_by()),
    ]
    heads: list[tuple[int, list[tuple[str, str, str]]] | None] = [next(s, None) for s in streams]
    while any(head is not None for head in heads):
        current = min(head[0] for head in heads if head is not None)
        rows: list[tuple[str, str, str]] = []
        for index, head in enumerate(heads):
            if head is not None and head[0] == current:
                rows.extend(head[1])
                heads[index] = next(streams[index], None)
        yield current, rows


def _grouped(rows: Iterable[tuple[int, str, str, str]]) -> Iterator[tuple[int, list[tuple[str, str, str]]]]:
    for event_id, group in groupby(rows, key=lambda row: row[0]):
        yield event_id, [(label, stored, computed) for _, label, stored, computed in group]


def verify(progress: Callable[[str], None] | None = None) -> Report:
    """Recompute the chain, every row's seal, every event's digest of its rows, and every file's hash."""
    counts = {"events": 0, "rows": 0}
    row_groups = _sealed_rows()
    pending = next(row_groups, None)
    row_break: list[ChainBreak] = []

    def events() -> Iterator[ArchiveEvent]:
        nonlocal pending
        for event in ArchiveEvent.objects.order_by("id").iterator(chunk_size=2000):
            counts["events"] += 1
            rows: list[tuple[str, str, str]] = []
            while pending is not None and pending[0] <= event.pk:
                if pending[0] < event.pk:  # rows of an event that is no longer in the chain
                    row_break.append(ChainBreak(pending[0], "rows belong to an event missing from the chain"))
                    return
                rows = pending[1]
                pending = next(row_groups, None)
            counts["rows"] += len(rows)
            for label, stored, computed in rows:
                if stored != computed:
                    row_break.append(ChainBreak(event.pk, f"{label} does not match its seal: it was altered"))
                    return
            if (
                digest_of(stored for _, stored, _ in rows) != event.rows_digest
                or len(rows) != event.row_count
            ):
                row_break.append(
                    ChainBreak(event.pk, "its rows do not match the event: a row was removed or inserted")
                )
                return
            yield event

    broken = first_break(events())
    if broken is None and row_break:
        broken = row_break[0]
    if broken is None and pending is not None:
        broken = ChainBreak(pending[0], "rows belong to an event missing from the chain")
    if progress:
        progress(f"{counts['events']} events and {counts['rows']} rows read")
    files, bad_files = verify_files()
    disposals = list(ArchiveEvent.objects.filter(act=ArchiveEvent.Act.DISPOSAL).order_by("id"))
    return Report(counts["events"], counts["rows"], files, broken, bad_files, disposals, verify_index())


def verify_index() -> list[str]:
    """Check what the search index says about restrictions against the sealed facts it derives from.

    Search and the item pages read secrecy from the sealed facts themselves, so a changed flag in
    the index restricts nothing less; but it shows that someone changed the database behind
    Sigill's back, and is reported item by item.
    """
    problems: list[str] = []
    facts = ItemFact.objects.values_list("item_id", "event_id")
    secret = dict(facts.filter(fact=ItemFact.Fact.MARKED_SECRET).order_by("item_id", "event_id"))
    flagged = set(SearchEntry.objects.filter(secret=True).values_list("item_id", flat=True))
    for item_id in sorted(secret.keys() - flagged):
        problems.append(
            f"item {item_id}: the search index says it is not secret, but the fact sealed in event "
            f"{secret[item_id]} marks it secret: the flag was changed in the database (search still "
            "withholds it: it reads the sealed fact)"
        )
    for item_id in sorted(flagged - secret.keys()):
        problems.append(
            f"item {item_id}: the search index marks it secret, but no sealed fact does: the flag was "
            "set in the database"
        )
    removed = set(facts.filter(fact=ItemFact.Fact.REMOVED_ON_PLATFORM).values_list("item_id", flat=True))
    shown_removed = set(
        SearchEntry.objects.filter(removed_on_platform_at__isnull=False).values_list("item_id", flat=True)
    )
    for item_id in sorted(removed ^ shown_removed):
        state = "not removed" if item_id in removed else "removed"
        problems.append(
            f"item {item_id}: the search index says it is {state} on the platform, unlike its sealed facts"
        )
    # Who may find an item in search rests on the index's copy of its account and kind (a direct
    # message is for the account's own people only): each must match the sealed item.
    moved = SearchEntry.objects.exclude(account_id=F("item__account_id")) | SearchEntry.objects.exclude(
        kind=F("item__kind")
    )
    for item_id in sorted(moved.values_list("item_id", flat=True).distinct()):
        problems.append(
            f"item {item_id}: the search index gives it another account or kind than the sealed item: "
            "the index was changed in the database, and search may show it to people it is not for"
        )
    for item_id in Item.objects.filter(search_entry__isnull=True).values_list("pk", flat=True).order_by("pk"):
        problems.append(f"item {item_id}: missing from the search index, so no search finds it")
    return problems


def verify_files() -> tuple[int, list[str]]:
    """Check every stored attachment file against its SHA-256; return the count and the bad ones."""
    bad: list[str] = []
    hashes = Attachment.objects.values_list("sha256", flat=True).distinct().order_by("sha256")
    count = 0
    for sha256 in hashes.iterator(chunk_size=2000):
        count += 1
        if problem := stored_file_problem(sha256):
            bad.append(f"{storage_name(sha256)}: {problem}")
    return count, bad


def stored_file_problem(sha256: str) -> str | None:
    """What is wrong with the stored file whose content should hash to ``sha256``, if anything."""
    name = storage_name(sha256)
    if not default_storage.exists(name):
        return "the file is missing"
    with default_storage.open(name, "rb") as stored:
        return None if sha256_of_stream(stored) == sha256 else "the file was changed"


def anchor_head() -> list[anchors.Head]:
    """Append the archive's head to the anchor file if it moved (the scheduler, every minute)."""
    return anchors.anchor_heads([CHAIN.name], stamp=timestamps.stamper())
