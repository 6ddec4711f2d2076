"""Backup and restore of a whole installation: the database (every app's tables), the media files,
and a manifest with the SHA-256 of each file (docs/operations.md, "Backup and restore").

``create(destination)`` writes a backup, ``verify(source)`` checks one against its manifest, and
``restore(source)`` brings one back into a new, empty installation. The format is the same for
SQLite and PostgreSQL, so a backup of one restores into the other.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from sigill.core import audit
from sigill.core.backup.dump import BackupError, Progress, write_backup
from sigill.core.backup.load import Restored, RestoreRefusedError, restore
from sigill.core.backup.manifest import Manifest, Verification, verify

__all__ = [
    "BackupError",
    "Manifest",
    "RestoreRefusedError",
    "Restored",
    "Verification",
    "create",
    "restore",
    "verify",
]


def create(destination: Path, *, progress: Progress | None = None) -> tuple[Manifest, str]:
    """Write a backup to ``destination`` and record it in the audit log (after the snapshot, so
    the backup does not hold its own entry). Returns the manifest and its SHA-256."""
    manifest, manifest_sha256 = write_backup(destination, progress=progress)
    with transaction.atomic():
        audit.record(
            "core.backup.created",
            actor_label="backup",
            details={
                "destination": str(destination),
                "manifest_sha256": manifest_sha256,
                "rows": sum(entry.rows for entry in manifest.tables),
                "files": len(manifest.media_names),
            },
        )
    return manifest, manifest_sha256
