"""Reads of the archive, already narrowed to what the reader may see."""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from sigill.archive import policies
from sigill.archive.capture import Kind, Source, stored_platform_id
from sigill.archive.models import ArchiveEvent, DisposedRow, Item, ItemFact, ItemVersion, SearchEntry, utc_iso
from sigill.archive.seal import stored_file_problem
from sigill.archive.search import Filters, Page, search
from sigill.archive.search.text import Segment
from sigill.organisation.models import Unit
from sigill.organisation.people import User
from sigill.registry.models import Account


def search_for(user: User, *, filters: Filters, unit: Unit | None = None, after: int | None = None) -> Page:
    """One page of the search, over the accounts ``user`` may see (secret items only for those who
    may see them, and direct messages only of the accounts whose messages they may read)."""
    accounts = policies.visible_accounts(user)
    if unit is not None:
        accounts = accounts.filter(unit__path__startswith=unit.path)
    if filters.accounts is not None:
        accounts = accounts.filter(pk__in=filters.accounts)
    narrowed = Filters(
        **{
            **filters.__dict__,
            "accounts": None
            if unit is None and filters.accounts is None and policies.sees_everything(user)
            else list(accounts.values_list("pk", flat=True)),
            "include_secret": policies.may_search_secret(user),
            "message_accounts": None
            if policies.sees_everything(user)
            else list(policies.message_accounts(user).values_list("pk", flat=True)),
        }
    )
    return search(narrowed, after=after)


def items_for(user: User) -> QuerySet[Item]:
    return policies.item_policy.queryset(user, "view")


def item_for(user: User, *, pk: int) -> Item:
    return get_object_or_404(items_for(user).select_related("account", "platform", "event"), pk=pk)


@dataclass(frozen=True)
class ThreadEntry:
    item: Item
    depth: int
    text: str


def thread_of(item: Item, *, user: User) -> list[ThreadEntry]:
    """The whole conversation ``item`` is part of, depth-first from its root, as far as ``user`` may see.

    Direct messages are a flat conversation: every message of the account whose version names the
    same ``metadata["conversation"]``, oldest first, whether it came by API or from an export.
    """
    visible = items_for(user).filter(account_id=item.account_id)
    if item.kind == Kind.MESSAGE and (conversation := conversation_of(item)):
        return _conversation(visible, conversation)
    root = item
    for _ in range(50):  # a reply chain is short; the bound guards against a cycle in platform ids
        if not root.parent_object_id:
            break
        parent = visible.filter(object_id=root.parent_object_id).first()
        if parent is None:
            break
        root = parent
    children: dict[str, list[Item]] = {}
    level = [root.object_id]
    members: list[Item] = [root]
    while level and len(members) < 1000:
        found = list(visible.filter(parent_object_id__in=level).order_by("published_at", "id"))
        for child in found:
            children.setdefault(child.parent_object_id, []).append(child)
        members.extend(found)
        level = [child.object_id for child in found]
    texts = current_texts([m.pk for m in members])
    ordered: list[ThreadEntry] = []

    def walk(node: Item, depth: int) -> None:
        ordered.append(ThreadEntry(node, depth, texts.get(node.pk, "")))
        for child in children.get(node.object_id, []):
            if child.pk != node.pk:
                walk(child, min(depth + 1, 4))

    walk(root, 0)
    return ordered


def conversation_of(item: Item) -> str:
    """The platform's id of the conversation a direct message belongs to ("" when none is known)."""
    metadata = item.versions.order_by("-number").values_list("metadata", flat=True).first() or {}
    return str(metadata.get("conversation") or "") if isinstance(metadata, dict) else ""


def _conversation(visible: QuerySet[Item], conversation: str) -> list[ThreadEntry]:
    members = list(
        visible.filter(kind=Kind.MESSAGE, versions__metadata__conversation=conversation)
        .distinct()
        .order_by("published_at", "id")[:1000]
    )
    texts = current_texts([m.pk for m in members])
    return [ThreadEntry(member, 0, texts.get(member.pk, "")) for member in members]


def current_texts(item_ids: list[int]) -> dict[int, str]:
    texts: dict[int, str] = {}
    for item_id, text in (
        ItemVersion.objects.filter(item_id__in=item_ids)
        .order_by("item_id", "number")
        .values_list("item_id", "text")
    ):
        texts[item_id] = text
    return texts


@dataclass(frozen=True)
class VersionView:
    version: ItemVersion
    before: list[Segment]  # the previous version's text, removed words marked
    after: list[Segment]  # this version's text, added words marked


def versions_of(item: Item) -> list[VersionView]:
    """Every version, each beside the one before it with what changed marked."""
    versions = list(item.versions.select_related("event").prefetch_related("attachments"))
    views = []
    previous = ""
    for version in versions:
        before, after = (
            word_diff(previous, version.text) if version.number > 1 else ([], [Segment(version.text)])
        )
        views.append(VersionView(version, before, after))
        previous = version.text
    return views


_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """Two texts as segments, words removed from ``old`` and added in ``new`` marked as hits."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    before: list[Segment] = []
    after: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            before.append(Segment("".join(a[i1:i2])))
            after.append(Segment("".join(b[j1:j2])))
            continue
        if i2 > i1:
            before.append(Segment("".join(a[i1:i2]), hit=True))
        if j2 > j1:
            after.append(Segment("".join(b[j1:j2]), hit=True))
    return before, after


def facts_of(item: Item) -> QuerySet[ItemFact]:
    return item.facts.select_related("event").order_by("at", "id")


def sealed_entry(item: Item) -> SearchEntry:
    """The item's search entry with its restrictions as the sealed facts say, not as the index's
    copy says (which anyone with database access could change unseen by the chain)."""
    entry = item.search_entry
    facts = list(item.facts.values_list("fact", "at"))
    entry.secret = any(fact == ItemFact.Fact.MARKED_SECRET for fact, _ in facts)
    removed = [at for fact, at in facts if fact == ItemFact.Fact.REMOVED_ON_PLATFORM]
    entry.removed_on_platform_at = min(removed) if removed else None
    return entry


def chain_length() -> int:
    return ArchiveEvent.objects.count()


def account_choices(user: User) -> QuerySet[Account]:
    return (
        policies.visible_accounts(user).select_related("platform").order_by("display_name", "platform__name")
    )


def unit_choices(user: User) -> QuerySet[Unit]:
    return Unit.objects.filter(accounts__in=policies.visible_accounts(user)).distinct().order_by("name")


# For the records app (disclosure, retention, e-archive): reads by item, without a reader's view.


def latest_versions(item_ids: list[int]) -> dict[int, ItemVersion]:
    """The newest version of each item."""
    latest: dict[int, ItemVersion] = {}
    for version in ItemVersion.objects.filter(item_id__in=item_ids).order_by("item_id", "number"):
        latest[version.item_id] = version
    return latest


def version_of(item: Item, number: int) -> ItemVersion:
    return item.versions.prefetch_related("attachments").get(number=number)


def ancestors_of(item: Item) -> list[Item]:
    """The items ``item`` replies to, from the thread's root down to its parent."""
    chain: list[Item] = []
    current = item
    for _ in range(50):  # the bound guards against a cycle in platform ids
        if not current.parent_object_id:
            break
        parent = Item.objects.filter(account_id=item.account_id, object_id=current.parent_object_id).first()
        if parent is None:
            break
        chain.append(parent)
        current = parent
    return list(reversed(chain))


def thread_item_ids(account_id: int, root_object_id: str) -> set[int]:
    """The ids of a thread's root and every reply below it, however deep."""
    root = Item.objects.filter(account_id=account_id, object_id=root_object_id).values_list("pk", flat=True)
    ids = set(root)
    level = [root_object_id]
    while level and len(ids) < 1_000_000:
        rows = list(
            Item.objects.filter(account_id=account_id, parent_object_id__in=level).values_list(
                "pk", "object_id"
            )
        )
        level = [object_id for pk, object_id in rows if pk not in ids]
        ids.update(pk for pk, _ in rows)
    return ids


def all_matching(user: User, *, filters: Filters, limit: int = 10_000) -> list[int]:
    """The ids of every item a search finds for ``user``, up to ``limit``, newest first."""
    ids: list[int] = []
    after = None
    while len(ids) < limit:
        page = search_for(user, filters=filters, after=after)
        ids.extend(hit.item.pk for hit in page.hits)
        if page.next_cursor is None:
            break
        after = page.next_cursor
    return ids[:limit]


@dataclass(frozen=True)
class PresentItem:
    """An item the archive believes is still on the platform (no removal recorded)."""

    object_id: str
    kind: str
    direction: str
    published_at: dt.datetime
    parent_object_id: str


def present_items(
    account_id: int, *, kinds: Collection[str], sources: Collection[str], received_before: dt.datetime
) -> Iterator[PresentItem]:
    """The account's items of ``kinds``, first captured by one of ``sources`` before
    ``received_before``, not recorded as removed on the platform: what a sync's full walk that
    started then should find again (for the connectors)."""
    rows = (
        Item.objects.filter(
            account_id=account_id, kind__in=kinds, source__in=sources, received_at__lt=received_before
        )
        .exclude(facts__fact=ItemFact.Fact.REMOVED_ON_PLATFORM)
        .order_by("pk")
        .values_list("object_id", "kind", "direction", "published_at", "parent_object_id")
    )
    for row in rows.iterator(chunk_size=2000):
        yield PresentItem(*row)


def items_of_account(account_id: int, *, since: Any = None, until: Any = None) -> QuerySet[Item]:
    items = Item.objects.filter(account_id=account_id)
    if since is not None:
        items = items.filter(published_at__gte=since)
    if until is not None:
        items = items.filter(published_at__lt=until)
    return items.order_by("pk")


def records_for_export(items: QuerySet[Item], chunk: int = 500) -> Iterator[dict[str, Any]]:
    """Each item with its versions, facts and files as plain data, a chunk at a time (for the
    e-archive: memory holds one chunk)."""
    last = 0
    while True:
        batch = list(
            items.filter(pk__gt=last)
            .select_related("platform", "event")
            .prefetch_related("versions__attachments", "versions__event", "facts")
            .order_by("pk")[:chunk]
        )
        if not batch:
            return
        for item in batch:
            yield {
                "format": "sigill.record/1",
                "id": item.pk,
                "platform": item.platform.slug,
                "platform_id": item.object_id,
                "kind": item.kind,
                "direction": item.direction,
                "in_reply_to": item.parent_object_id,
                "author": {
                    "id": item.author_platform_id,
                    "name": item.author_name,
                    "handle": item.author_handle,
                },
                "url": item.url,
                "published_at": utc_iso(item.published_at),
                "received_at": utc_iso(item.received_at),
                "source": item.source,
                "seal": item.seal,
                "chain_event": item.event.hash,
                "versions": [
                    {
                        "number": v.number,
                        "text": v.text,
                        "metadata": v.metadata,
                        "edited_at": utc_iso(v.edited_at),
                        "captured_at": utc_iso(v.captured_at),
                        "seal": v.seal,
                        "chain_event": v.event.hash,
                    }
                    for v in item.versions.all()
                ],
                "facts": [
                    {"fact": f.fact, "at": utc_iso(f.at), "provision": f.provision, "seal": f.seal}
                    for f in item.facts.all()
                ],
                "files": [
                    {"name": a.name, "content_type": a.content_type, "size": a.size, "sha256": a.sha256}
                    for v in item.versions.all()
                    for a in v.attachments.all()
                ],
            }
        last = batch[-1].pk
        # Prefetching links items and versions both ways (reference cycles): free each chunk now,
        # not whenever the collector next runs, so memory stays flat however long the export.
        del batch
        gc.collect()


def preservation_events(items: QuerySet[Item]) -> Iterator[tuple[str, str, Any, str, list[str]]]:
    """PREMIS events of ``items``: (type, identifier, time, detail, linked objects), streaming."""
    versions = ItemVersion.objects.filter(item__in=items).order_by("item_id", "number")
    for item_id, number, captured_at, source in versions.values_list(
        "item_id", "number", "captured_at", "source"
    ).iterator(chunk_size=2000):
        kind = "capture" if number == 1 else "modification"
        detail = f"Version {number} captured ({source})"
        yield kind, f"version-{item_id}-{number}", captured_at, detail, [f"item-{item_id}"]
    facts = ItemFact.objects.filter(item__in=items).order_by("id")
    for pk, item_id, fact, at, provision in facts.values_list(
        "pk", "item_id", "fact", "at", "provision"
    ).iterator(chunk_size=2000):
        # PREMIS event types (id.loc.gov/vocabulary/preservation/eventType): marking an item secret
        # assigns it an access policy.
        kind = "deletion" if fact == ItemFact.Fact.REMOVED_ON_PLATFORM else "policy assignment"
        detail = "Removed on the platform" if kind == "deletion" else f"Marked secret ({provision})"
        yield kind, f"fact-{pk}", at, detail, [f"item-{item_id}"]


@dataclass(frozen=True)
class SealCheck:
    """What the archive says about a seal, without any content: whether it is the seal of the
    version named and when it was sealed (and disposed of, if it was)."""

    known: bool
    matches: bool
    sealed_at: Any = None
    event_id: int | None = None
    disposed_at: Any = None


def check_seal(*, item_id: int, number: int, seal: str) -> SealCheck:
    """Check ``seal`` against version ``number`` of an item.

    A disposed version is known only by its seal; the seal counts as that item's only if the same
    disposal removed the item named, so a disposed seal does not match any reference paired with it.
    """
    seal = seal.strip().lower()
    version = ItemVersion.objects.filter(item_id=item_id, number=number).select_related("event").first()
    if version is None:
        disposed = (
            DisposedRow.objects.filter(table=ItemVersion._meta.db_table, seal=seal)
            .filter(
                disposal_event__in=DisposedRow.objects.filter(
                    table=Item._meta.db_table, row_id=item_id
                ).values("disposal_event")
            )
            .select_related("original_event", "disposal_event")
            .first()
        )
        if disposed is None:
            return SealCheck(known=False, matches=False)
        return SealCheck(
            known=True,
            matches=True,
            sealed_at=disposed.original_event.created_at,
            event_id=disposed.original_event_id,
            disposed_at=disposed.disposal_event.created_at,
        )
    return SealCheck(
        known=True,
        matches=version.seal == seal,
        sealed_at=version.event.created_at,
        event_id=version.event_id,
    )


@dataclass(frozen=True)
class SavedCopyCheck:
    """Whether an item's saved copy is whole: every row matches its seal and every file its hash.

    ``seal`` is the seal of the newest version checked, the evidence a removal on the platform
    cites; ``problems`` says what is wrong, empty when the copy is intact.
    """

    seal: str
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_saved_copy(item: Item) -> SavedCopyCheck:
    """Check the archived copy of ``item`` before anything is removed on the platform (invariant 3)."""
    item = Item.objects.get(pk=item.pk)  # the stored row, not what a caller may hold in memory
    problems = []
    if item.seal != item.compute_seal():
        problems.append(gettext("The item does not match its seal."))
    versions = list(item.versions.order_by("number").prefetch_related("attachments"))
    if not versions or [v.number for v in versions] != list(range(1, len(versions) + 1)):
        problems.append(gettext("A version of the item is missing."))
    for version in versions:
        if version.seal != version.compute_seal():
            problems.append(
                gettext("Version %(number)d does not match its seal.") % {"number": version.number}
            )
        for attachment in version.attachments.all():
            if attachment.seal != attachment.compute_seal() or stored_file_problem(attachment.sha256):
                problems.append(
                    gettext("The file %(name)s is missing or was changed.") % {"name": attachment.name}
                )
    for fact in item.facts.all():
        if fact.seal != fact.compute_seal():
            problems.append(gettext("A recorded fact about the item does not match its seal."))
    return SavedCopyCheck(seal=versions[-1].seal if versions else "", problems=problems)


@dataclass(frozen=True)
class ProfileCapture:
    """A profile item among a batch: its account, its current text, and whether it is a rendered
    snapshot (whose text only names the page, "name: URL") rather than the profile's own text."""

    account_id: int
    text: str
    rendered: bool


def profile_captures(item_ids: list[int]) -> list[ProfileCapture]:
    """The profile items among ``item_ids``: profile texts and rendered snapshots alike."""
    profiles = Item.objects.filter(pk__in=item_ids, kind=Kind.PROFILE).values_list(
        "pk", "account_id", "source"
    )
    texts = current_texts([pk for pk, _account, _source in profiles])
    return [
        ProfileCapture(account_id, texts.get(pk, ""), source == Source.SNAPSHOT)
        for pk, account_id, source in profiles
    ]


def profiles_seen_at(account_ids: Collection[int]) -> dict[int, dt.datetime]:
    """When Sigill last captured something new of each account's profile (a changed text or a
    rendered snapshot), in one query; accounts whose profile was never captured are left out."""
    rows = (
        ItemVersion.objects.filter(item__account_id__in=account_ids, item__kind=Kind.PROFILE)
        .values("item__account_id")
        .annotate(last=Max("captured_at"))
        .values_list("item__account_id", "last")
        .order_by()
    )
    return dict(rows)


def accounts_with(*, kind: str, since: Any) -> QuerySet[Account]:
    """The accounts with an item of ``kind`` published since ``since`` (a profile snapshot this year)."""
    return Account.objects.filter(
        pk__in=Item.objects.filter(kind=kind, published_at__gte=since).values("account_id")
    )


# For the reports: counts over many accounts at once, one query each ---------------------------


def activity_by_account(
    account_ids: Collection[int], *, since: dt.datetime, until: dt.datetime
) -> dict[int, Counter[tuple[str, str]]]:
    """Items published in [since, until) per account, counted by (kind, direction)."""
    rows = (
        Item.objects.filter(account_id__in=account_ids, published_at__gte=since, published_at__lt=until)
        .values_list("account_id", "kind", "direction")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, Counter[tuple[str, str]]] = defaultdict(Counter)
    for account_id, kind, direction, n in rows:
        counts[account_id][(kind, direction)] += n
    return counts


def activity_by_month(
    account_ids: Collection[int], *, since: dt.datetime, until: dt.datetime, tz: dt.tzinfo
) -> dict[dt.date, Counter[tuple[str, str]]]:
    """Items published in [since, until), counted by (kind, direction) per month in ``tz``
    (keyed by the month's first day)."""
    rows = (
        Item.objects.filter(account_id__in=account_ids, published_at__gte=since, published_at__lt=until)
        .annotate(month=TruncMonth("published_at", tzinfo=tz))
        .values_list("month", "kind", "direction")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[dt.date, Counter[tuple[str, str]]] = defaultdict(Counter)
    for month, kind, direction, n in rows:
        counts[month.astimezone(tz).date()][(kind, direction)] += n
    return counts


def item_by_object_id(account_id: int, object_id: str) -> Item | None:
    """The account's item for a platform object, if the archive holds it."""
    return Item.objects.filter(account_id=account_id, object_id=stored_platform_id(object_id)).first()
