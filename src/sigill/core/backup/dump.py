"""Writing a backup: every table from one consistent snapshot of the database, then the media files.

The backup is written into a staging folder beside the destination and renamed to it only when
complete, so a folder with the destination's name is always a whole backup.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import django
from django.core.files.storage import Storage, default_storage
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from sigill.core.backup.manifest import (
    DATABASE_DIR,
    MANIFEST,
    MEDIA_DIR,
    Manifest,
    TableEntry,
    sha256_of,
    sigill_version,
)
from sigill.core.backup.tables import Table, backed_up_tables, encode

Progress = Callable[[str], None]


class BackupError(Exception):
    """The backup cannot be written (the destination is taken, a value cannot be written, ...)."""


@contextmanager
def read_snapshot() -> Iterator[None]:
    """Read everything inside from one snapshot of the database, without blocking writers.

    PostgreSQL: a REPEATABLE READ, READ ONLY transaction (what pg_dump uses). SQLite: a deferred
    transaction, which in WAL mode reads one snapshot while others write; Sigill's own
    transactions start with BEGIN IMMEDIATE, which would stop every writer for the whole backup.
    Inside a caller's transaction (a test), that transaction is the snapshot.
    """
    if connection.in_atomic_block:
        yield
        return
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            try:
                yield
            finally:
                cursor.execute("ROLLBACK")  # nothing was written; ending the read is all
    else:
        raise BackupError(f"Backups are written from SQLite or PostgreSQL, not {connection.vendor}.")


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def write_backup(destination: Path, *, progress: Progress | None = None) -> tuple[Manifest, str]:
    """Write a backup to the folder ``destination`` (which must not exist, or be empty).

    Returns the manifest and the SHA-256 of manifest.json, which the operator keeps elsewhere:
    a manifest altered together with the files it lists is detected only against that.
    """
    destination = destination.resolve()
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise BackupError(f"{destination} exists and is not an empty folder; choose a new destination.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    # The folder is created readable by its owner only: it holds every record and personal datum.
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}.partial-", dir=destination.parent))
    try:
        with read_snapshot():
            created_at = timezone.now()
            migrations = applied_migrations()
            entries = [_dump_table(table, staging, progress) for table in backed_up_tables()]
        _copy_media(default_storage, staging / MEDIA_DIR, progress)
        manifest = Manifest(
            created_at=created_at.isoformat(),
            sigill_version=sigill_version(),
            django_version=django.get_version(),
            database_vendor=connection.vendor,
            migrations=migrations,
            tables=entries,
            files=_hash_files(staging),
        )
        raw = manifest.to_json()
        (staging / MANIFEST).write_bytes(raw)
        os.chmod(staging / MANIFEST, 0o600)
        if destination.exists():
            destination.rmdir()
        staging.rename(destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest, hashlib.sha256(raw).hexdigest()


def _dump_table(table: Table, staging: Path, progress: Progress | None) -> TableEntry:
    fields = table.fields
    name = f"{DATABASE_DIR}/{table.label}.jsonl.gz"
    path = staging / name
    path.parent.mkdir(exist_ok=True)
    rows = 0
    query = (
        table.model._base_manager.order_by(table.model._meta.pk.attname)
        .values_list(*(field.attname for field in fields))
        .iterator(chunk_size=2000)
    )
    # mtime=0 and no file name inside: the same rows always give the same bytes.
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:
        for values in query:
            encoded = [encode(field, value) for field, value in zip(fields, values, strict=True)]
            out.write(json.dumps(encoded, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
            rows += 1
    if progress is not None:
        progress(f"{table.label}: {rows} rows")
    return TableEntry(model=table.label, table=table.db_table, file=name, rows=rows, columns=table.columns)


def storage_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``storage``, walking its folders (works for S3-compatible storage too)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing was ever stored
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from storage_names(storage, f"{folder}/{sub}" if folder else sub)


def _copy_media(storage: Storage, target: Path, progress: Progress | None) -> None:
    count = 0
    for name in storage_names(storage):
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as stored, path.open("wb") as copy:
            shutil.copyfileobj(stored, copy, 1 << 20)
        count += 1
    if progress is not None:
        progress(f"media: {count} files")


def _hash_files(staging: Path) -> dict[str, dict[str, object]]:
    """The SHA-256 and size of every file written, read back from the disk."""
    files: dict[str, dict[str, object]] = {}
    for path in sorted(staging.rglob("*")):
        if path.is_file():
            os.chmod(path, 0o600)
            files[path.relative_to(staging).as_posix()] = {
                "sha256": sha256_of(path),
                "bytes": path.stat().st_size,
            }
    return files
