"""``archive.search``: one search over the archive, on SQLite (FTS5) and PostgreSQL (tsvector + GIN).

Results come newest first (by publication time) and are paged by keyset: each page ends with a
cursor, the ``sort_key`` of its last entry, and the next page asks for entries below it. Pages are
stable while new items arrive, and no page costs more than the one before.

Both databases index the same document (words and lemmas, see :mod:`.text`) and walk matches in
``sort_key`` order from the cursor down, stopping after one page. A common word is then cheap:
its matches are dense, so a page is found after reading a few dozen rows instead of sorting all of
them. (On PostgreSQL the planner picks between that walk and the GIN index by the word's
frequency; FTS5 walks its doclist by rowid, which is the ``sort_key``.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from sigill.archive.capture import Kind
from sigill.archive.models import Item, ItemFact, SearchEntry
from sigill.archive.search.text import Query, Segment, snippet

PAGE_SIZE = 20


@dataclass(frozen=True)
class Filters:
    """What to search for; ``accounts`` None means every account the searcher may see."""

    text: str = ""
    accounts: list[int] | None = None
    platform: int | None = None
    kind: str = ""
    direction: str = ""
    author: str = ""
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    removed: bool | None = None
    include_secret: bool = False
    # The accounts whose direct messages the searcher may read; None means every account's.
    message_accounts: list[int] | None = None


@dataclass(frozen=True)
class Hit:
    item: Item
    entry: SearchEntry
    snippet: list[Segment]


@dataclass(frozen=True)
class Page:
    hits: list[Hit]
    next_cursor: int | None
    query: Query = field(default_factory=lambda: Query(()))


def search(filters: Filters, *, after: int | None = None, limit: int = PAGE_SIZE) -> Page:
    """One page of entries matching ``filters``, below the cursor ``after`` (None: the newest).

    The caller narrows ``filters.accounts``, ``include_secret`` and ``message_accounts`` to what the searcher may see
    (``archive.selectors.search_for`` does).
    """
    query = Query.parse(filters.text)
    keys = _matching_keys(filters, query, after=after, limit=limit + 1)
    more = len(keys) > limit
    keys = keys[:limit]
    entries = {e.sort_key: e for e in SearchEntry.objects.filter(sort_key__in=keys)}
    items = Item.objects.select_related("account", "platform").in_bulk([e.item_id for e in entries.values()])
    secret = set(
        ItemFact.objects.filter(item__in=items, fact=ItemFact.Fact.MARKED_SECRET).values_list(
            "item_id", flat=True
        )
    )
    for entry in entries.values():
        entry.secret = entry.item_id in secret  # what the page shows is the sealed fact too
    hits = [
        Hit(item=items[entry.item_id], entry=entry, snippet=snippet(entry.text, query))
        for entry in (entries[key] for key in keys)
    ]
    return Page(hits=hits, next_cursor=keys[-1] if more and keys else None, query=query)


def _matching_keys(filters: Filters, query: Query, *, after: int | None, limit: int) -> list[int]:
    # The SQL is assembled from fixed fragments only (table name, the conditions of _filter_sql);
    # every value, the query terms included, is a bound parameter.
    where, params = _filter_sql(filters, after)
    table = SearchEntry._meta.db_table
    if query and connection.vendor == "sqlite":
        # FTS5 walks its doclist by rowid (the sort_key) from the cursor down and stops after a page.
        conditions = " ".join(" AND " + w.replace("e.sort_key", "f.rowid") for w in where)
        sql = f"SELECT f.rowid FROM archive_fts f JOIN {table} e ON e.sort_key = f.rowid WHERE archive_fts MATCH %s{conditions} ORDER BY f.rowid DESC LIMIT %s"  # noqa: S608
        params = [query.fts5(), *params, limit]
    else:
        if query:
            where.insert(0, "e.document_tsv @@ to_tsquery('simple', %s)")
            params.insert(0, query.tsquery())
        conditions = " WHERE " + " AND ".join(where) if where else ""
        sql = f"SELECT e.sort_key FROM {table} e{conditions} ORDER BY e.sort_key DESC LIMIT %s"  # noqa: S608
        params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _filter_sql(filters: Filters, after: int | None) -> tuple[list[str], list[Any]]:
    """The filters as SQL conditions on the search table (aliased ``e``), with their parameters."""
    ops = connection.ops
    where: list[str] = []
    params: list[Any] = []

    def add(condition: str, *values: Any) -> None:
        where.append(condition)
        params.extend(values)

    if after is not None:
        add("e.sort_key < %s", after)
    if filters.accounts is not None:
        accounts = [int(a) for a in filters.accounts] or [0]
        add(f"e.account_id IN ({', '.join(['%s'] * len(accounts))})", *accounts)
    if filters.platform is not None:
        add("e.platform_id = %s", filters.platform)
    if filters.kind:
        add("e.kind = %s", filters.kind)
    if filters.direction:
        add("e.direction = %s", filters.direction)
    if filters.author:
        needle = filters.author.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        add("e.author LIKE %s ESCAPE '\\'", f"%{needle}%")
    if filters.since is not None:
        add("e.published_at >= %s", ops.adapt_datetimefield_value(filters.since))
    if filters.until is not None:
        add("e.published_at < %s", ops.adapt_datetimefield_value(filters.until))
    if filters.removed is True:
        add("e.removed_on_platform_at IS NOT NULL")
    elif filters.removed is False:
        add("e.removed_on_platform_at IS NULL")
    if not filters.include_secret:
        # Secrecy is read from the sealed fact, never from the index's copy of it: a flag changed
        # in the database behind Sigill's back does not lift the restriction (verify_archive
        # reports the changed flag).
        table = ItemFact._meta.db_table
        add(
            f"NOT EXISTS (SELECT 1 FROM {table} sf WHERE sf.item_id = e.item_id AND sf.fact = %s)",  # noqa: S608
            ItemFact.Fact.MARKED_SECRET.value,
        )
    if filters.message_accounts is not None:
        readable = [int(a) for a in filters.message_accounts] or [0]
        add(
            f"(e.kind <> %s OR e.account_id IN ({', '.join(['%s'] * len(readable))}))",
            Kind.MESSAGE.value,
            *readable,
        )
    return where, params
