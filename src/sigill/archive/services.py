"""Every write the archive does: capturing platform objects, and recording facts about them.

``capture()`` is the one door into the archive. It takes a batch of platform-neutral
:class:`~sigill.archive.capture.Capture` objects and, in one transaction:

* stores an :class:`Item` for every platform object not seen before (keyed by account, platform
  and platform id), with its first :class:`ItemVersion` and attachments;
* stores a new version when an object's text (or set of files) changed;
* records an :class:`ItemFact` when an object is seen gone from the platform — never deletes;
* seals everything it stored with one :class:`ArchiveEvent` in the hash chain, and updates the
  search index.

Capturing the same batch twice stores nothing the second time. Lookups are set-based and writes are
bulk, a chunk of captures at a time.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from sigill.archive import after_capture, policies
from sigill.archive.capture import Author, Capture, CapturedFile, Source
from sigill.archive.models import (
    ArchiveEvent,
    Attachment,
    Item,
    ItemFact,
    ItemVersion,
    SearchEntry,
    sort_key_for,
    storage_name,
)
from sigill.archive.seal import append_event, lock_chain, seal_row
from sigill.archive.search.text import document
from sigill.core import anchors, audit
from sigill.organisation.people import User
from sigill.organisation.selectors import Role, people_with_role
from sigill.registry.models import Account

log = logging.getLogger(__name__)

audit.describe_acts(
    {
        "archive.item.marked_secret": _("Archived item marked as secret"),
        "archive.manual_capture": _("Captured manually into the archive"),
    }
)

# Captures looked up and written per round trip: well under SQLite's limit of bound parameters.
CHUNK = 2000


@dataclass
class CaptureResult:
    """What a call to :func:`capture` stored."""

    items: int = 0
    versions: int = 0
    attachments: int = 0
    removals: int = 0
    event: ArchiveEvent | None = None
    item_ids: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.event is not None


@dataclass
class _StoredFile:
    name: str
    content_type: str
    size: int
    sha256: str


@dataclass
class _Pending:
    """The rows one batch will insert, sealed before they are written (items may lack their ids)."""

    items: list[Item] = field(default_factory=list)
    versions: list[tuple[Item, ItemVersion, list[Attachment]]] = field(default_factory=list)
    removals: list[tuple[Item, ItemFact]] = field(default_factory=list)
    seals: list[str] = field(default_factory=list)
    # By (account id, platform id): the item, its last version (number, fingerprint), its removal.
    by_key: dict[tuple[int, str], Item] = field(default_factory=dict)
    latest: dict[tuple[int, str], tuple[int, str]] = field(default_factory=dict)
    # Every (key, fingerprint, edit time) stored: replaying an old capture is not a new version.
    stored: set[tuple[tuple[int, str], str, Any]] = field(default_factory=set)
    removed: set[tuple[int, str]] = field(default_factory=set)


def capture(captures: Sequence[Capture], *, actor: Any = None) -> CaptureResult:
    """Store what ``captures`` show that the archive does not hold yet (see the module docstring)."""
    result = CaptureResult()
    if not captures:
        return result
    files = {id(c): [_store_file(f.read(), f.name, f.content_type) for f in c.attachments] for c in captures}
    with transaction.atomic():
        lock_chain()
        now = timezone.now()
        accounts = dict(
            Account.objects.filter(pk__in={c.account_id for c in captures}).values_list("pk", "platform_id")
        )
        if unknown := {c.account_id for c in captures} - accounts.keys():
            raise ValueError(f"captures name accounts that do not exist: {sorted(unknown)}")
        pending = _Pending()
        for start in range(0, len(captures), CHUNK):
            _plan(captures[start : start + CHUNK], files, accounts, now, pending)
        if not pending.seals:
            return result
        sources = sorted({c.source for c in captures})
        event = append_event(
            act=ArchiveEvent.Act.CAPTURE,
            seals=pending.seals,
            source=sources[0] if len(sources) == 1 else "",
            actor=actor,
        )
        _write(pending, event, now)
        result = CaptureResult(
            items=len(pending.items),
            versions=len(pending.versions),
            attachments=sum(len(rows) for _i, _v, rows in pending.versions),
            removals=len(pending.removals),
            event=event,
            item_ids=sorted(
                {item.pk for item, _, _ in pending.versions} | {i.pk for i, _ in pending.removals}
            ),
        )
        item_ids = result.item_ids
        transaction.on_commit(lambda: after_capture.captured(item_ids))
    return result


def _store_file(content: bytes, name: str, content_type: str) -> _StoredFile:
    """Put a file into Django's storage under its hash (once), so S3-compatible storage works too.

    Files are written before the transaction commits; a rolled-back batch leaves an unreferenced
    file, never a reference to a missing one.
    """
    sha256 = hashlib.sha256(content).hexdigest()
    target = storage_name(sha256)
    if not default_storage.exists(target):
        saved = default_storage.save(target, ContentFile(content))
        if saved != target:  # another worker stored the same file a moment earlier
            default_storage.delete(saved)
    return _StoredFile(name=name[:255], content_type=content_type[:100], size=len(content), sha256=sha256)


def fingerprint(text: str, files: Iterable[_StoredFile]) -> str:
    """What decides whether a capture is a new version: its text and its files, not counters."""
    parts = [text, *sorted(f.sha256 for f in files)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _plan(
    chunk: Sequence[Capture],
    files: dict[int, list[_StoredFile]],
    accounts: dict[int, int],
    now: Any,
    pending: _Pending,
) -> None:
    """Decide, for one chunk, which items, versions and removals are new, and seal them."""
    _load_known(chunk, pending)
    for c in chunk:
        key = (c.account_id, c.platform_id)
        item = pending.by_key.get(key)
        stored = files[id(c)]
        gone_without_content = c.seen_gone and not c.text and not stored
        if item is None:
            if gone_without_content:
                continue  # gone before it was ever seen: nothing to keep
            item = pending.by_key[key] = _new_item(c, accounts[c.account_id], now)
            pending.items.append(item)
            pending.seals.append(seal_row(item, item.canonical()))
        state = pending.latest.get(key)
        print_ = fingerprint(c.text, stored)
        seen_before = (key, print_, c.edited_at) in pending.stored
        if state is None or (state[1] != print_ and not seen_before and not gone_without_content):
            number = 1 if state is None else state[0] + 1
            version = ItemVersion(
                number=number,
                text=c.text,
                metadata=c.metadata,
                edited_at=c.edited_at,
                captured_at=now,
                source=c.source,
                fingerprint=print_,
            )
            pending.seals.append(seal_row(version, version.canonical_with(item.natural_key)))
            rows = []
            for position, f in enumerate(stored):
                row = Attachment(
                    position=position, name=f.name, content_type=f.content_type, size=f.size, sha256=f.sha256
                )
                pending.seals.append(seal_row(row, row.canonical_with(item.natural_key, number)))
                rows.append(row)
            pending.versions.append((item, version, rows))
            pending.latest[key] = (number, print_)
            pending.stored.add((key, print_, c.edited_at))
        if c.seen_gone and key not in pending.removed:
            pending.removed.add(key)
            fact = ItemFact(fact=ItemFact.Fact.REMOVED_ON_PLATFORM, at=now)
            pending.seals.append(seal_row(fact, fact.canonical_with(item.natural_key)))
            pending.removals.append((item, fact))


def _load_known(chunk: Sequence[Capture], pending: _Pending) -> None:
    """Read, in three set-based queries, what the archive already holds about a chunk's objects."""
    keys = {(c.account_id, c.platform_id) for c in chunk} - pending.by_key.keys()
    if not keys:
        return
    found = Item.objects.filter(account_id__in={a for a, _ in keys}, object_id__in={o for _, o in keys}).only(
        "id", "account_id", "object_id"
    )
    by_id = {item.pk: item for item in found if (item.account_id, item.object_id) in keys}
    for item in by_id.values():
        pending.by_key[(item.account_id, item.object_id)] = item
    versions = (
        ItemVersion.objects.filter(item__in=list(by_id))
        .order_by("item_id", "number")
        .values_list("item_id", "number", "fingerprint", "edited_at")
    )
    for item_id, number, print_, edited_at in versions:
        key = by_id[item_id].natural_key_tuple
        pending.latest[key] = (number, print_)
        pending.stored.add((key, print_, edited_at))
    removed = ItemFact.objects.filter(item__in=list(by_id), fact=ItemFact.Fact.REMOVED_ON_PLATFORM)
    for item_id in removed.values_list("item_id", flat=True):
        pending.removed.add(by_id[item_id].natural_key_tuple)


def _new_item(c: Capture, platform_id: int, now: Any) -> Item:
    return Item(
        account_id=c.account_id,
        platform_id=platform_id,
        object_id=c.platform_id,
        kind=c.kind,
        parent_object_id=c.parent_platform_id,
        direction=c.direction,
        author_platform_id=c.author.platform_id,
        author_name=c.author.display_name,
        author_handle=c.author.handle,
        url=c.url,
        published_at=c.published_at,
        received_at=now,
        source=c.source,
    )


def _write(pending: _Pending, event: ArchiveEvent, now: Any) -> None:
    """Insert the planned rows in bulk (items, then versions, attachments and facts) and index them."""
    for item in pending.items:
        item.event = event
    Item.objects.bulk_create(pending.items, batch_size=CHUNK)
    versions = []
    for item, version, _rows in pending.versions:
        version.item = item
        version.event = event
        versions.append(version)
    ItemVersion.objects.bulk_create(versions, batch_size=CHUNK)
    attachments = []
    for _item, version, rows in pending.versions:
        for row in rows:
            row.version = version
            row.event = event
            attachments.append(row)
    Attachment.objects.bulk_create(attachments, batch_size=CHUNK)
    facts = []
    for item, fact in pending.removals:
        fact.item = item
        fact.event = event
        facts.append(fact)
    ItemFact.objects.bulk_create(facts, batch_size=CHUNK)
    _index(pending, now)


def _index(pending: _Pending, now: Any) -> None:
    """Bring the search index up to date with what the batch stored."""
    new_ids = {item.pk for item in pending.items}
    touched = {item.pk for item, _v, _r in pending.versions} | {item.pk for item, _f in pending.removals}
    entries = SearchEntry.objects.in_bulk(touched - new_ids) if touched - new_ids else {}
    for item, version, _rows in pending.versions:
        if item.pk in new_ids:
            entries[item.pk] = SearchEntry(
                item_id=item.pk,
                sort_key=sort_key_for(published_at=item.published_at, item_id=item.pk),
                account_id=item.account_id,
                platform_id=item.platform_id,
                kind=item.kind,
                direction=item.direction,
                author=f"{item.author_name} {item.author_handle}".strip().lower(),
                published_at=item.published_at,
                text=version.text,
                document=document([version.text]),
            )
        else:
            entry = entries[item.pk]
            entry.text = version.text
            entry.document = f"{entry.document} {document([version.text])}"
    for item, fact in pending.removals:
        entries[item.pk].removed_on_platform_at = fact.at
    SearchEntry.objects.bulk_create([e for pk, e in entries.items() if pk in new_ids], batch_size=CHUNK)
    changed = [e for pk, e in entries.items() if pk not in new_ids]
    SearchEntry.objects.bulk_update(changed, ["text", "document", "removed_on_platform_at"], batch_size=500)


def mark_secret(*, item: Item, provision: str, note: str = "", by: User) -> ItemFact:
    """Mark ``item`` as holding secret information under ``provision``; audited and sealed."""
    policies.item_policy.require(by, "mark_secret", item)
    with transaction.atomic():
        lock_chain()
        fact = ItemFact(
            item=item,
            fact=ItemFact.Fact.MARKED_SECRET,
            at=timezone.now(),
            provision=provision,
            note=note,
            actor=by,
            actor_label=by.get_username(),
        )
        seal = seal_row(fact, fact.canonical_with(item.natural_key))
        fact.event = append_event(act=ArchiveEvent.Act.FACT, seals=[seal], actor=by)
        fact.save(force_insert=True)
        SearchEntry.objects.filter(pk=item.pk).update(secret=True)
        audit.record("archive.item.marked_secret", actor=by, target=item, details={"provision": provision})
    return fact


def capture_manually(
    *,
    account: Account,
    by: User,
    kind: str,
    direction: str,
    published_at: Any,
    text: str,
    author: str = "",
    url: str = "",
    files: Sequence[CapturedFile] = (),
) -> Item:
    """Capture what a person saw on a platform without an API: their text and uploaded files."""
    if not policies.capturable_accounts(by).filter(pk=account.pk).exists():
        raise PermissionDenied
    captured = Capture(
        account_id=account.pk,
        platform_id=f"manual-{uuid.uuid4()}",
        kind=kind,
        source=Source.MANUAL,
        direction=direction,
        published_at=published_at,
        text=text,
        author=Author(display_name=author),
        url=url,
        attachments=tuple(files),
    )
    with transaction.atomic():
        capture([captured], actor=by)
        item = Item.objects.get(account=account, object_id=captured.platform_id)
        audit.record("archive.manual_capture", actor=by, target=item, details={"files": len(files)})
    return item


def mail_chain_heads() -> int:
    """E-mail the heads of the archive's and the audit log's chains to the registrars (the
    scheduler, once a day), so a record outside the database keeps them; returns how many got it."""
    people = list(people_with_role(Role.REGISTRAR).exclude(email="").order_by("username"))
    if not people:
        log.warning("archive: no registrar has an e-mail address; the chains' heads were not mailed")
        return 0
    context = {"heads": anchors.current_heads(), "site": settings.SITE_NAME}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("archive/email/heads_subject.txt", context).strip()
        body = render_to_string("archive/email/heads_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email for person in people])
    return len(people)
