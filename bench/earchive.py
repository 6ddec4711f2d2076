"""E-archive benchmark: writing a package of 100,000 items with flat memory.

    DEBUG=true .venv/bin/python bench/earchive.py [--items 100000]

In a temporary SQLite database, captures ``--items`` items on one account through
``archive.services.capture()`` (every tenth a post, the rest comments; 5 % with a later edit), then
writes its e-archive package three times: of a tenth of the items, of all of them, and of the
records to keep (``only_kept``: a retention rule keeps posts for 24 months, so the comments, which
no rule governs, are kept). It prints the peak Python memory of each export (tracemalloc) and
items per second; flat memory means the peaks are about the same although the later packages are
ten times larger. The last line sums it up:
``items=<n> items_per_s=<r> peak_mib_tenth=<m> peak_mib_all=<m> kept=<n> kept_items_per_s=<r> peak_mib_kept=<m>``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(
            {
                "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
                "MEDIA_ROOT": f"{folder}/media",
                "DEBUG": "true",
            }
        )
        sys.path.insert(0, str(ROOT / "src"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigill.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        settings.DEBUG = False  # no log of every query
        call_command("migrate", verbosity=0)
        account = make_account()
        capture(account, args.items)
        tenth = export(account, Path(folder), args.items // 10)
        everything = export(account, Path(folder), None)
        keep_posts_for_two_years(account)
        kept = export(account, Path(folder), None, only_kept=True)
        print(
            f"items={everything[0]} items_per_s={everything[1]:,.0f} "
            f"peak_mib_tenth={tenth[2]:.1f} peak_mib_all={everything[2]:.1f} "
            f"kept={kept[0]} kept_items_per_s={kept[1]:,.0f} peak_mib_kept={kept[2]:.1f}"
        )


def make_account():
    from sigill.organisation import services as organisation
    from sigill.registry.models import Account, Platform

    unit = organisation.create_unit(name="Bänkförvaltningen", slug="bank", kind="administration", parent=None)
    return Account.objects.create(
        platform=Platform.objects.get(slug="facebook"), handle="bench", profile_url="https://facebook.com/bench",
        slug="bench", display_name="Bänk", unit=unit, purpose_statement="Mätning.",
    )  # fmt: skip


def keep_posts_for_two_years(account) -> None:
    from sigill.archive.capture import Kind
    from sigill.organisation.models import User
    from sigill.records.models import RetentionRule

    registrar = User.objects.create(username="bench-registrar")
    RetentionRule.objects.create(name="Inlägg", account=account, kind=Kind.POST, keep_months=24,
                                 decision="Bänkbeslut 1", created_by=registrar)  # fmt: skip


def capture(account, count: int) -> None:
    from sigill.archive import services
    from sigill.archive.capture import Author, Capture, Direction, Kind, Source

    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    began = time.perf_counter()
    for first in range(0, count, 5000):
        batch = [
            Capture(account_id=account.pk, platform_id=f"obj-{i}", source=Source.API,
                    kind=Kind.POST if i % 10 == 0 else Kind.COMMENT,
                    direction=Direction.RECEIVED, published_at=start + dt.timedelta(seconds=i * 97),
                    text=f"Kommentar {i} om biblioteket och gatorna i Vara.", parent_platform_id="post-1",
                    author=Author(platform_id=f"u-{i % 5000}", display_name=f"Person {i % 5000}"))
            for i in range(first, min(first + 5000, count))
        ]  # fmt: skip
        services.capture(batch)
        services.capture([Capture(**{**c.__dict__, "text": c.text + " (redigerad)"}) for c in batch[::20]])
    print(f"captured {count:,} items in {time.perf_counter() - began:.0f} s", flush=True)


def export(account, folder: Path, limit: int | None, *, only_kept: bool = False) -> tuple[int, float, float]:
    from sigill.records.earchive.writer import write_package

    until = None
    if limit is not None:
        until = dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=limit * 97)
    tracemalloc.start()
    began = time.perf_counter()
    summary = write_package(
        account=account, since=None, until=until, target=folder / "out", only_kept=only_kept
    )
    seconds = time.perf_counter() - began
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rate = summary.items / seconds
    print(f"package of {summary.items:,} {'kept ' if only_kept else ''}items in {seconds:.1f} s = {rate:,.0f} items/s, "
          f"peak Python memory {peak / 2**20:.1f} MiB", flush=True)  # fmt: skip
    return summary.items, rate, peak / 2**20


if __name__ == "__main__":
    main()
