"""Archive benchmark: capture throughput against a plain bulk insert, search latency, inflection recall.

    DEBUG=true .venv/bin/python bench/archive.py [--items 200000] [--copies 4] [--databases sqlite,postgresql]

For each database, in a fresh database of its own (a temporary SQLite file; PostgreSQL database
``sigill_archive_bench`` on $BENCH_POSTGRES, default postgres://postgres@127.0.0.1:5432):

1. captures ``--items`` synthetic Swedish comments and posts (20 % replies) through
   ``archive.services.capture()`` in batches of 5,000, then a later sync where 5 % were edited;
2. inserts the same rows for a second account with a plain ``bulk_create`` of items, versions and
   search entries (the same full-text index: the FTS5 triggers / the generated tsvector with GIN);
3. grows the archive past a million items by copying the plain rows ``--copies`` times in SQL;
4. times 20 searches (half of them words in about a fifth of all items), each run 5 times;
5. measures the recall of inflected forms: for word families planted in the captured texts, every
   form is searched and the matches are compared with the items known to hold any form.

The last line sums up per database: ``capture_vs_bulk=<ratio> search_p95_ms=<ms> inflection_recall=<r>``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_DATABASE = "sigill_archive_bench"

# Word families planted in the texts: every form should find every other (the truth of the recall).
FAMILIES = {
    "bibliotek": ["bibliotek", "biblioteket", "biblioteken", "biblioteks", "bibliotekets"],
    "gata": ["gata", "gatan", "gator", "gatorna", "gatans"],
    "badhus": ["badhus", "badhuset", "badhusen", "badhusets"],
    "förskola": ["förskola", "förskolan", "förskolor", "förskolorna", "förskolans"],
    "skolmat": ["skolmat", "skolmaten", "skolmatens"],
    "snöröjning": ["snöröjning", "snöröjningen", "snöröjningens"],
    "lekplats": ["lekplats", "lekplatsen", "lekplatser", "lekplatserna"],
    "plogbil": ["plogbil", "plogbilen", "plogbilar", "plogbilarna"],
    "sophämtning": ["sophämtning", "sophämtningen", "sophämtningens"],
    "park": ["park", "parken", "parker", "parkerna"],
}
# Words in about a fifth of all items each.
COMMON = ["kommunen", "tack", "bra", "varför", "barnen", "inte", "hej", "fråga", "vara", "gärna"]
FILLER = (
    "och att det som en på är för med han av till den har de inte om ett hon men var jag sig från vi så "
    "kan man när år säger under också efter eller nu sin där vid mot ska skulle kommer ut får finns "
    "vad alla andra mycket än här då sedan över bara in blir upp även vid två tre många hela dag tid "
    "vecka morgon kväll helgen sommaren vintern snön vägen bussen skolan läraren eleverna föräldrar "
    "hemma stan centrum torget kyrkan ån sjön skogen fotboll hallen simning öppettider besked svar "
    "information hemsidan telefon mejl ansökan beslut nämnden politikerna budget skatten pengar"
).split()
RARE_QUERIES = ["biblioteket", "gator", "badhus", "förskolorna", "skolmaten", "snöröjning", "lekplatser",
                "plogbilarna", "sophämtningen", "parken"]  # fmt: skip


def synthetic_texts(count: int, seed: int) -> tuple[list[str], dict[str, set[int]]]:
    """Comment-like texts (3 to 60 words, most short) and, per family, the indexes that hold it."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data)
    truth: dict[str, set[int]] = {family: set() for family in FAMILIES}
    texts = []
    families = list(FAMILIES)
    for index in range(count):
        length = min(60, max(3, int(rng.lognormvariate(2.6, 0.6))))
        words = rng.choices(FILLER, k=length)
        for word in COMMON:
            if rng.random() < 0.2:
                words.insert(rng.randrange(len(words) + 1), word)
        if rng.random() < 0.05:
            family = rng.choice(families)
            words.insert(rng.randrange(len(words) + 1), rng.choice(FAMILIES[family]))
            truth[family].add(index)
        text = " ".join(words)
        texts.append(text[0].upper() + text[1:] + rng.choice([".", "!", "?", ""]))
    return texts, truth


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument(
        "--copies", type=int, default=4, help="copies of the plain rows made for the search test"
    )
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print("RESULT " + json.dumps(run_one(args.one, args.items, args.copies)), flush=True)
        return
    summary = []
    for vendor in args.databases.split(","):
        with tempfile.TemporaryDirectory() as folder:
            env = {
                **os.environ,
                "DEBUG": "true",
                "MEDIA_ROOT": f"{folder}/media",
                "PYTHONPATH": str(ROOT / "src"),
            }
            if vendor == "sqlite":
                env["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
            else:
                server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
                env["DATABASE_URL"] = f"{server}/{PG_DATABASE}"
                recreate_postgres_database(server)
            command = [sys.executable, __file__, "--one", vendor, "--items", str(args.items),
                       "--copies", str(args.copies)]  # fmt: skip
            output = subprocess.run(command, env=env, check=True, capture_output=True, text=True, cwd=ROOT)  # noqa: S603
            for line in output.stdout.splitlines():
                if line.startswith("RESULT "):
                    summary.append((vendor, json.loads(line.removeprefix("RESULT "))))
                else:
                    print(line, flush=True)
    print("\nSummary")
    for vendor, result in summary:
        print(f"  {vendor}: {json.dumps(result)}")
    print(" | ".join(
        f"{vendor}: capture_vs_bulk={r['capture_vs_bulk']:.2f} search_p95_ms={r['search_p95_ms']:.1f} "
        f"inflection_recall={r['inflection_recall']:.3f}"
        for vendor, r in summary
    ))  # fmt: skip


def recreate_postgres_database(server: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
        connection.execute(f"CREATE DATABASE {PG_DATABASE}")


def run_one(vendor: str, count: int, copies: int) -> dict[str, float]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigill.settings")
    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # settings load with DEBUG on; off, Django keeps no log of every query
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    captured, plain = make_accounts()
    texts, truth = synthetic_texts(count, seed=1)
    captures, edits = make_captures(captured, texts)

    capture_seconds = time_capture(captures, edits)
    bulk_seconds = time_plain_insert(plain, captures, edits)
    rate_capture = (len(captures)) / capture_seconds
    rate_bulk = (len(captures)) / bulk_seconds
    print(f"[{vendor}] capture(): {len(captures):,} items (+{len(edits):,} edits) in {capture_seconds:.1f} s "
          f"= {rate_capture:,.0f} items/s")  # fmt: skip
    print(
        f"[{vendor}] plain bulk insert: {len(captures):,} items in {bulk_seconds:.1f} s = {rate_bulk:,.0f} items/s"
    )
    print(f"[{vendor}] capture is {capture_seconds / bulk_seconds:.2f}x the plain bulk insert")

    total = grow(plain, copies)
    print(f"[{vendor}] archive grown to {total:,} items for the search test")
    p50, p95, slowest = time_searches()
    print(f"[{vendor}] search over {total:,} items, 20 queries x 5 runs: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
          f"(slowest query: {slowest})")  # fmt: skip
    recall = inflection_recall(captured, truth)
    print(f"[{vendor}] inflection recall: {recall:.3f}")
    return {
        "capture_items_per_s": round(rate_capture),
        "bulk_items_per_s": round(rate_bulk),
        "capture_vs_bulk": capture_seconds / bulk_seconds,
        "search_items": total,
        "search_p50_ms": p50,
        "search_p95_ms": p95,
        "inflection_recall": recall,
    }


def make_accounts():
    from sigill.organisation import services as organisation
    from sigill.registry.models import Account, Platform

    unit = organisation.create_unit(name="Bänkförvaltningen", slug="bank", kind="administration", parent=None)
    facebook = Platform.objects.get(slug="facebook")
    accounts = []
    for handle in ("captured", "plain"):
        accounts.append(
            Account.objects.create(platform=facebook, handle=handle, profile_url=f"https://facebook.com/{handle}",
                                   slug=handle, display_name=handle, unit=unit, purpose_statement="Mätning.")
        )  # fmt: skip
    return accounts


def make_captures(account, texts):
    from sigill.archive.capture import Author, Capture, Direction, Kind, Source

    rng = random.Random(2)  # noqa: S311
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    captures, edits = [], []
    for index, text in enumerate(texts):
        reply = index > 0 and rng.random() < 0.2
        capture = Capture(
            account_id=account.pk,
            platform_id=f"obj-{index}",
            kind=Kind.REPLY if reply else Kind.COMMENT,
            source=Source.API,
            direction=Direction.RECEIVED,
            published_at=start + dt.timedelta(seconds=index * 97),
            text=text,
            parent_platform_id=f"obj-{rng.randrange(index)}" if reply else "post-1",
            author=Author(platform_id=f"u-{index % 5000}", display_name=f"Person {index % 5000}"),
            metadata={"likes": index % 7},
        )
        captures.append(capture)
        if rng.random() < 0.05:
            edits.append(Capture(**{**capture.__dict__, "text": text + " (redigerad)",
                                    "edited_at": capture.published_at + dt.timedelta(hours=1)}))  # fmt: skip
    return captures, edits


def time_capture(captures, edits) -> float:
    from sigill.archive import services
    from sigill.archive.search.text import forget_lemmas

    forget_lemmas()
    began = time.perf_counter()
    for start in range(0, len(captures), 5000):
        services.capture(captures[start : start + 5000])
    for start in range(0, len(edits), 5000):
        services.capture(edits[start : start + 5000])
    return time.perf_counter() - began


def time_plain_insert(account, captures, edits) -> float:
    """The same rows with bulk_create and nothing else: no lookups, no seals, no versions logic."""
    from django.db import transaction
    from django.utils import timezone

    from sigill.archive.models import ArchiveEvent, Item, ItemVersion, SearchEntry, sort_key_for
    from sigill.archive.search.text import document, forget_lemmas

    event = ArchiveEvent.objects.order_by("id").first()
    forget_lemmas()
    edited = {c.platform_id: c for c in edits}
    began = time.perf_counter()
    for start in range(0, len(captures), 5000):
        chunk = captures[start : start + 5000]
        now = timezone.now()
        with transaction.atomic():
            items = Item.objects.bulk_create(
                Item(account_id=account.pk, platform_id=account.platform_id, object_id=c.platform_id, kind=c.kind,
                     parent_object_id=c.parent_platform_id, direction=c.direction,
                     author_platform_id=c.author.platform_id, author_name=c.author.display_name, url=c.url,
                     published_at=c.published_at, received_at=now, source=c.source, event=event, seal="")
                for c in chunk
            )  # fmt: skip
            versions = [ItemVersion(item=i, number=1, text=c.text, metadata=c.metadata, captured_at=now,
                                    source=c.source, fingerprint="", event=event, seal="")
                        for i, c in zip(items, chunk, strict=True)]  # fmt: skip
            versions += [ItemVersion(item=i, number=2, text=edited[c.platform_id].text, metadata=c.metadata,
                                     captured_at=now, source=c.source, fingerprint="", event=event, seal="")
                         for i, c in zip(items, chunk, strict=True) if c.platform_id in edited]  # fmt: skip
            ItemVersion.objects.bulk_create(versions)
            SearchEntry.objects.bulk_create(
                SearchEntry(item=i, sort_key=sort_key_for(published_at=c.published_at, item_id=i.pk),
                            account_id=account.pk, platform_id=account.platform_id, kind=c.kind,
                            direction=c.direction, author=c.author.display_name.lower(),
                            published_at=c.published_at, text=c.text,
                            document=document([c.text, edited[c.platform_id].text] if c.platform_id in edited
                                              else [c.text]))
                for i, c in zip(items, chunk, strict=True)
            )  # fmt: skip
    return time.perf_counter() - began


def grow(account, copies: int) -> int:
    """Copy the plain account's items and search entries ``copies`` times, set-based in SQL."""
    from django.db import connection, transaction

    from sigill.archive.models import Item

    epoch = ("CAST(strftime('%%s', i.published_at) AS INTEGER)" if connection.vendor == "sqlite"
             else "CAST(extract(epoch FROM i.published_at) AS BIGINT)")  # fmt: skip
    for copy in range(1, copies + 1):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO archive_item (account_id, platform_id, object_id, kind, parent_object_id, direction, "
                "author_platform_id, author_name, author_handle, url, published_at, received_at, source, event_id, "
                "seal) SELECT account_id, platform_id, object_id || %s, kind, parent_object_id, direction, "
                "author_platform_id, author_name, author_handle, url, published_at, received_at, source, event_id, "
                "seal FROM archive_item WHERE account_id = %s AND object_id LIKE 'obj-%%' AND object_id NOT LIKE '%%-k%%'",
                [f"-k{copy}", account.pk],
            )
            # Fixed SQL: the epoch expression is one of two constants.
            copy_entries = (
                "INSERT INTO archive_searchentry (item_id, sort_key, account_id, platform_id, kind, direction, author, "  # noqa: S608
                f"published_at, removed_on_platform_at, secret, text, document) SELECT i.id, ({epoch} * 4294967296) + i.id, "
                "i.account_id, i.platform_id, i.kind, i.direction, e.author, i.published_at, NULL, e.secret, e.text, "
                "e.document FROM archive_item i JOIN archive_item o ON o.account_id = i.account_id "
                "AND o.platform_id = i.platform_id AND o.object_id = replace(i.object_id, %s, '') "
                "JOIN archive_searchentry e ON e.item_id = o.id WHERE i.account_id = %s AND i.object_id LIKE %s"
            )
            cursor.execute(copy_entries, [f"-k{copy}", account.pk, f"%-k{copy}"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Item.objects.count()


def time_searches() -> tuple[float, float, str]:
    from sigill.archive.search import Filters, search

    queries = COMMON + RARE_QUERIES
    timings: list[tuple[float, str]] = []
    for query in queries:
        search(Filters(text=query))  # warm the cache, as a running server has it
        for _ in range(5):
            began = time.perf_counter()
            page = search(Filters(text=query))
            timings.append(((time.perf_counter() - began) * 1000, query))
            assert page.hits, query
    values = sorted(t for t, _ in timings)
    p95 = values[int(len(values) * 0.95) - 1]
    return statistics.median(values), p95, max(timings)[1]


def inflection_recall(account, truth) -> float:
    """Of the captured items known to hold a family, how many each of its forms finds."""
    from sigill.archive.models import Item
    from sigill.archive.search import Filters, search

    index_of = {pk: int(object_id.removeprefix("obj-")) for pk, object_id in
                Item.objects.filter(account=account).values_list("pk", "object_id")}  # fmt: skip
    wanted = found = 0
    for family, forms in FAMILIES.items():
        for form in forms:
            hits: set[int] = set()
            cursor = None
            while True:
                page = search(Filters(text=form, accounts=[account.pk]), after=cursor, limit=500)
                hits |= {index_of[hit.item.pk] for hit in page.hits}
                if page.next_cursor is None:
                    break
                cursor = page.next_cursor
            wanted += len(truth[family])
            found += len(truth[family] & hits)
            missed = len(truth[family] - hits)
            if missed:
                print(f"  recall: '{form}' missed {missed} of {len(truth[family])}")
    return found / wanted


if __name__ == "__main__":
    main()
