"""Export import benchmark: a generated Facebook export of many comments, imported in flat memory.

    DEBUG=true .venv/bin/python bench/import_export.py [--comments 1000000]

In a fresh temporary SQLite database (and media folder), it writes a Facebook "Download your
information" export (``your_facebook_activity/comments_and_reactions/comments.json``, mojibaked as
Meta writes it), imports it with ``import_export`` and measures items per second and the peak
memory of the process; then it captures the same comments through ``archive.services.capture()``
alone (built in batches outside the timing) into a second account, for the ratio.

The last line: ``items_per_s=<n> peak_rss_mb=<n> vs_capture=<ratio>`` (import speed / capture speed).

    DEBUG=true .venv/bin/python bench/import_export.py --shapes [--shape-mb 20]

imports, each in a fresh process, a normal export and three hostile shapes of about the same size
(deep: nested arrays; wide: one entry of empty arrays; long: one value the size of the file), and
prints each one's outcome and the process's peak memory: the readers' bounds keep it flat.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = (
    "snön plogbilen gatan biblioteket skolmaten tack varför när öppnar badhuset kommunen hej fråga "
    "återvinningscentralen torget sommaren barnen förskolan parken bussen vägen ljuset ❄️ 🚜 👍 är och"
).split()
BASE = 1_736_000_000


def comment_texts(count: int) -> Iterator[tuple[int, str]]:
    rng = random.Random(7)  # noqa: S311 (synthetic data)
    for index in range(count):
        yield BASE + index, " ".join(rng.choices(WORDS, k=rng.randint(4, 30))) + f" #{index}"


def mojibake(text: str) -> str:
    return text.encode("utf-8").decode("latin-1")


def write_export(folder: Path, count: int) -> Path:
    target = folder / "export/your_facebook_activity/comments_and_reactions/comments.json"
    target.parent.mkdir(parents=True)
    with target.open("w", encoding="ascii") as out:
        out.write('{\n  "comments_v2": [\n')
        for index, (moment, text) in enumerate(comment_texts(count)):
            entry = {
                "timestamp": moment,
                "data": [
                    {"comment": {"timestamp": moment, "comment": mojibake(text), "author": "Vara kommun"}}
                ],
                "title": mojibake("Vara kommun kommenterade ett inlägg."),
            }
            out.write(("    " if index == 0 else ",\n    ") + json.dumps(entry))
        out.write("\n  ]\n}\n")
    return folder / "export"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--inside", help=argparse.SUPPRESS)
    parser.add_argument("--shapes", action="store_true", help="peak memory of hostile shapes")
    parser.add_argument("--shape-mb", type=int, default=20)
    parser.add_argument("--shape", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside and args.shape:
        run_shape(Path(args.inside), args.shape, args.shape_mb)
        return
    if args.inside:
        run(Path(args.inside), args.comments)
        return
    if args.shapes:
        for shape in ("normal", "deep", "wide", "long"):
            with tempfile.TemporaryDirectory() as folder:
                command = [
                    sys.executable,
                    __file__,
                    "--shape",
                    shape,
                    "--shape-mb",
                    str(args.shape_mb),
                    "--inside",
                    folder,
                ]
                subprocess.run(command, env=bench_env(folder), check=True, cwd=ROOT)  # noqa: S603
        return
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, __file__, "--comments", str(args.comments), "--inside", folder]
        subprocess.run(command, env=bench_env(folder), check=True, cwd=ROOT)  # noqa: S603


def bench_env(folder: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "true",
        "MEDIA_ROOT": f"{folder}/media",
        "PYTHONPATH": str(ROOT / "src"),
        "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
    }


def write_shape(folder: Path, shape: str, size: int) -> Path:
    """A Facebook comments file of about ``size`` bytes in ``shape``."""
    target = folder / "export/your_facebook_activity/comments_and_reactions/comments.json"
    target.parent.mkdir(parents=True)
    half = size // 2
    with target.open("wb") as out:
        out.write(b'{"comments_v2": ')
        if shape == "deep":
            out.write(b"[" * half + b"]" * half)
        elif shape == "wide":
            out.write(b'[{"timestamp": 1736000000, "data": [' + b"[]," * (size // 3) + b"[]]}]")
        elif shape == "long":
            out.write(
                b'[{"timestamp": 1736000000, "data": [{"comment": {"comment": "' + b"a" * size + b'"}}]}]'
            )
        else:
            out.write(b"[")
            written, first = 0, True
            for moment, text in comment_texts(size):
                entry = {"timestamp": moment, "data": [{"comment": {"timestamp": moment, "comment": text}}]}
                line = (b"" if first else b",\n") + json.dumps(entry).encode()
                out.write(line)
                written, first = written + len(line), False
                if written >= size:
                    break
            out.write(b"]")
        out.write(b"}")
    return folder / "export"


def run_shape(folder: Path, shape: str, megabytes: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigill.settings")
    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    imported, _captured = make_accounts()
    export = write_shape(folder, shape, megabytes * 1024 * 1024)
    size = sum(p.stat().st_size for p in export.rglob("*.json"))
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from sigill.connectors.exports.importing import import_export
    from sigill.connectors.exports.source import ExportRefused

    started = time.perf_counter()
    try:
        run_ = import_export(account=imported, location=export, by=None)
        outcome = f"imported {run_.items:,} items"
    except ExportRefused as refused:
        outcome = f"refused: {refused.message}"
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"shape={shape} file_mb={size / 1e6:.1f} seconds={seconds:.1f} peak_rss_mb={peak_mb:.0f} "
        f"(before import {before_mb:.0f}) {outcome}",
        flush=True,
    )


def run(folder: Path, count: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigill.settings")
    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # with DEBUG on Django would keep every query in memory
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    imported, captured = make_accounts()
    started = time.perf_counter()
    export = write_export(folder, count)
    print(
        f"wrote {export} ({sum(p.stat().st_size for p in export.rglob('*.json')) / 1e6:,.0f} MB) in {time.perf_counter() - started:.1f} s",
        flush=True,
    )

    from sigill.connectors.exports.importing import import_export

    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    run_ = import_export(account=imported, location=export, by=None)
    import_seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate_import = run_.items / import_seconds
    print(
        f"import_export: {run_.items:,} items in {import_seconds:.1f} s = {rate_import:,.0f} items/s, "
        f"peak RSS {peak_mb:,.0f} MB (before the import {before_mb:,.0f} MB; the bound is 300 MB)",
        flush=True,
    )

    capture_seconds = time_capture_alone(captured, count)
    rate_capture = count / capture_seconds
    print(
        f"capture() alone: {count:,} items in {capture_seconds:.1f} s = {rate_capture:,.0f} items/s",
        flush=True,
    )
    print(
        f"items_per_s={rate_import:.0f} peak_rss_mb={peak_mb:.0f} vs_capture={rate_import / rate_capture:.2f}"
    )


def time_capture_alone(account, count: int) -> float:
    """capture() on the same comments, built (outside the timing) in batches as the import does."""
    from sigill.archive import services
    from sigill.archive.capture import Author, Capture, Direction, Kind, Source
    from sigill.connectors.base import epoch_seconds
    from sigill.connectors.exports.formats import derived_id

    seconds = 0.0
    batch = []
    for moment, text in comment_texts(count):
        batch.append(
            Capture(
                account_id=account.pk,
                platform_id=derived_id("fb-export-comment", moment, text, "Vara kommun"),
                kind=Kind.COMMENT,
                source=Source.EXPORT,
                direction=Direction.DRAWN_UP,
                published_at=epoch_seconds(moment),
                text=text,
                author=Author(display_name="Vara kommun"),
                metadata={"title": "Vara kommun kommenterade ett inlägg.", "group": ""},
            )
        )
        if len(batch) == 2000:
            started = time.perf_counter()
            services.capture(batch)
            seconds += time.perf_counter() - started
            batch = []
    if batch:
        started = time.perf_counter()
        services.capture(batch)
        seconds += time.perf_counter() - started
    return seconds


def make_accounts():
    from sigill.organisation import services as organisation
    from sigill.registry.models import Account, Platform

    unit = organisation.create_unit(name="Bänkförvaltningen", slug="bank", kind="administration", parent=None)
    facebook = Platform.objects.get(slug="facebook")
    return [
        Account.objects.create(platform=facebook, handle=handle, profile_url=f"https://facebook.com/{handle}",
                               slug=handle, display_name=handle, unit=unit, purpose_statement="Mätning.")
        for handle in ("imported", "captured")
    ]  # fmt: skip


if __name__ == "__main__":
    main()
