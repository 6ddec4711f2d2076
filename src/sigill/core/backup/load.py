"""Restoring a backup into a new, empty installation, all or nothing.

Every check runs before anything is written: the backup against its manifest, its migrations
against this code and this database, the database for data of its own, the media storage for
files that differ. Then, in one transaction, each table's rows replace what the migrations put
there (content types, permissions, the platform catalogue) with their original ids, so every
foreign key, seal and hash chain holds as it did; the media files follow, and are removed again
if the transaction does not commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from sigill.core import append_only, audit
from sigill.core.backup.manifest import (
    MEDIA_DIR,
    Manifest,
    TableEntry,
    read_rows,
    sha256_of,
    sha256_of_stream,
    verify,
)
from sigill.core.backup.tables import Table, backed_up_tables, decode

Progress = Callable[[str], None]
BATCH = 1000


class RestoreRefusedError(Exception):
    """The backup cannot be restored here; nothing was written. The message says why and what to do."""


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    manifest_sha256: str
    rows: int
    files: int


def restore(source: Path, *, progress: Progress | None = None) -> Restored:
    """Restore the backup in the folder ``source`` into this installation's database and storage."""
    verification = verify(source)
    if verification.manifest is None or verification.problems:
        raise RestoreRefusedError(
            "The backup does not match its manifest, so nothing was restored:\n"
            + "\n".join(f"  - {problem}" for problem in verification.problems)
        )
    manifest = verification.manifest
    _check_migrations(manifest)
    tables = _tables_for(manifest)
    _check_empty()
    media = _media_to_write(manifest)

    written: list[str] = []
    try:
        with transaction.atomic():
            rows = sum(_load_table(source, manifest, entry, table, progress) for entry, table in tables)
            _reset_sequences([table for _, table in tables])
            for name in media:
                _store(source, manifest, name, written)
            if progress is not None:
                progress(f"media: {len(media)} files")
            # Foreign keys are checked at commit; checking them here names the table at fault.
            connection.check_constraints()
            audit.record(
                "core.backup.restored",
                actor_label="restore",
                details={
                    "backup_created_at": manifest.created_at,
                    "manifest_sha256": verification.manifest_sha256,
                    "sigill_version": manifest.sigill_version,
                    "database_vendor": manifest.database_vendor,
                    "rows": rows,
                    "files": len(manifest.media_names),
                },
            )
    except BaseException as exc:
        for name in written:
            default_storage.delete(name)
        if isinstance(exc, DatabaseError | OSError):
            raise RestoreRefusedError(
                f"The restore failed and was undone, so nothing was restored: {exc}"
            ) from exc
        raise
    finally:
        ContentType.objects.clear_cache()  # the content types now have the backup's ids
    return Restored(manifest, verification.manifest_sha256, rows, len(manifest.media_names))


def _check_migrations(manifest: Manifest) -> None:
    in_backup = {(app, name) for app, names in manifest.migrations.items() for name in names}
    unknown = in_backup - set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    if unknown:
        raise RestoreRefusedError(
            f"The backup is newer than this code: it was made by Sigill {manifest.sigill_version} "
            f"with migrations this code does not have ({_names(unknown)}). Install that version "
            "of Sigill (or a later one), migrate, and restore with it."
        )
    applied = set(MigrationRecorder(connection).applied_migrations())
    if applied == in_backup:
        return
    if in_backup - applied:
        raise RestoreRefusedError(
            f"This database lacks migrations the backup has ({_names(in_backup - applied)}). "
            "Run `manage.py migrate` first."
        )
    latest: dict[str, str] = {}
    for app, name in sorted(in_backup):
        latest[app] = name
    steps = sorted({f"manage.py migrate {app} {latest.get(app, 'zero')}" for app, _ in applied - in_backup})
    raise RestoreRefusedError(
        f"The backup was made at an older migration state (Sigill {manifest.sigill_version}) "
        f"than this database ({_names(applied - in_backup)} are not in it). Bring this empty "
        f"database to the backup's state ({'; '.join(steps)}), restore, then run "
        "`manage.py migrate` to upgrade the restored data."
    )


def _names(migrations: set[tuple[str, str]]) -> str:
    return ", ".join(f"{app}.{name}" for app, name in sorted(migrations))


def _tables_for(manifest: Manifest) -> list[tuple[TableEntry, Table]]:
    """Pair each table of the backup with this code's model for it; refuse if any does not fit."""
    models = {table.label: table for table in backed_up_tables()}
    pairs, problems = [], []
    for entry in manifest.tables:
        table = models.get(entry.model)
        if table is None:
            problems.append(f"the backup holds {entry.model}, which this installation has no model for")
        elif set(entry.columns) != set(table.columns):
            problems.append(f"{entry.model} has other columns in the backup than in this installation")
        else:
            pairs.append((entry, table))
    if problems:
        raise RestoreRefusedError(
            "The backup does not fit this installation:\n" + "\n".join(f"  - {p}" for p in problems)
        )
    return pairs


def _check_empty() -> None:
    """Refuse a database that holds data of its own.

    Everything Sigill holds is entered by people, who are users, and leaves a row in an
    append-only table (the audit log, the archive). A migrated database has neither: what its
    data migrations loaded (the platform catalogue) is replaced by the backup's rows.
    """
    qn = connection.ops.quote_name
    tables = [get_user_model()._meta.db_table, *append_only.protected_tables(connection)]
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {qn(table)}")  # noqa: S608 (a table name from the database)
            if rows := cursor.fetchone()[0]:
                counts[table] = rows
    if counts:
        found = ", ".join(f"{table} has {n} row{'s' if n > 1 else ''}" for table, n in counts.items())
        raise RestoreRefusedError(
            f"The database is not empty: {found}. A backup is restored only into a new "
            "installation: create an empty database, run `manage.py migrate`, and restore into it."
        )


def _media_to_write(manifest: Manifest) -> list[str]:
    """The media files to store; refuse if storage holds a file of the same name with other content."""
    missing, different = [], []
    for name in manifest.media_names:
        if not default_storage.exists(name):
            missing.append(name)
            continue
        with default_storage.open(name, "rb") as stored:
            if sha256_of_stream(stored) != manifest.files[f"{MEDIA_DIR}/{name}"]["sha256"]:
                different.append(name)
    if different:
        raise RestoreRefusedError(
            "The media storage already holds files that differ from the backup's: "
            f"{', '.join(different[:5])}{' ...' if len(different) > 5 else ''}. Restore into an "
            "installation with an empty media storage (MEDIA_ROOT)."
        )
    return missing


def _load_table(
    source: Path, manifest: Manifest, entry: TableEntry, table: Table, progress: Progress | None
) -> int:
    by_column = {field.column: field for field in table.fields}
    fields = [by_column[column] for column in entry.columns]
    qn = connection.ops.quote_name
    insert = (
        f"INSERT INTO {qn(table.db_table)} ({', '.join(qn(column) for column in entry.columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    _check_unchanged(source, manifest, entry.file)
    rows = 0
    with connection.cursor() as cursor:
        # What the migrations loaded into this table (an empty installation has nothing else).
        cursor.execute(f"DELETE FROM {qn(table.db_table)}")  # noqa: S608
        for batch in _batches(read_rows(source / entry.file)):
            if connection.vendor == "postgresql":
                _refuse_nul(entry, batch, rows)
            cursor.executemany(
                insert,
                [
                    [
                        field.get_db_prep_save(decode(field, value), connection)
                        for field, value in zip(fields, row, strict=True)
                    ]
                    for row in batch
                ],
            )
            rows += len(batch)
    if rows != entry.rows:
        raise RestoreRefusedError(f"{entry.file} holds {rows} rows, the manifest says {entry.rows}.")
    if progress is not None:
        progress(f"{entry.model}: {rows} rows")
    return rows


def _refuse_nul(entry: TableEntry, batch: list[list[Any]], before: int) -> None:
    """Refuse a row holding NUL, which PostgreSQL cannot store, naming where it is.

    Captures replace NUL on the way in, so only a SQLite installation that captured before they
    did can hold one. Replacing it here would change sealed content, so the restore is refused.
    """
    for number, row in enumerate(batch, start=before + 1):
        for column, value in zip(entry.columns, row, strict=True):
            if _holds_nul(value):
                raise RestoreRefusedError(
                    f"{entry.file}, row {number}: the column {column} holds a NUL character, "
                    "which PostgreSQL cannot store (the row was written before Sigill replaced "
                    "such characters on the way in, and changing it would break its seal). "
                    "Restore this backup into SQLite; nothing was restored."
                )


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    return False


def _batches(rows: Iterator[list[Any]]) -> Iterator[list[list[Any]]]:
    batch: list[list[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _reset_sequences(tables: list[Table]) -> None:
    """Let the next id follow the restored ones (PostgreSQL; SQLite's AUTOINCREMENT does so itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [table.model for table in tables])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _check_unchanged(source: Path, manifest: Manifest, name: str) -> None:
    """The file still matches the manifest (it was verified before, but may change meanwhile)."""
    if sha256_of(source / name) != manifest.files[name]["sha256"]:
        raise RestoreRefusedError(
            f"{name} changed while the backup was being restored; nothing was restored."
        )


def _store(source: Path, manifest: Manifest, name: str, written: list[str]) -> None:
    _check_unchanged(source, manifest, f"{MEDIA_DIR}/{name}")
    with (source / MEDIA_DIR / name).open("rb") as handle:
        stored = default_storage.save(name, File(handle))
    written.append(stored)
    if stored != name:
        raise RestoreRefusedError(f"The media storage stored {name} as {stored}; nothing was restored.")
