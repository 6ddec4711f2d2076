from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigill.core import backup


class Command(BaseCommand):
    help = (
        "Write a backup of the whole installation (every table from one consistent snapshot, the "
        "media files, a manifest with the SHA-256 of each file) to the folder DEST, which must not "
        "exist or be empty. With --verify, check the backup in DEST against its manifest instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("destination", metavar="DEST", type=Path)
        parser.add_argument("--verify", action="store_true", help="Check the backup in DEST; write nothing.")
        parser.add_argument(
            "--manifest-sha256",
            metavar="HEX",
            default="",
            help="With --verify: the SHA-256 of manifest.json noted when the backup was made.",
        )

    def handle(
        self, *args: Any, destination: Path, verify: bool, manifest_sha256: str, **options: Any
    ) -> None:
        if verify:
            self.verify(destination, manifest_sha256.strip().lower())
            return
        progress = self.stdout.write if options["verbosity"] > 1 else None
        try:
            manifest, digest = backup.create(destination, progress=progress)
        except (backup.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(entry.rows for entry in manifest.tables)
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {destination}: {len(manifest.tables)} tables, {rows} rows, "
                f"{len(manifest.media_names)} media files."
            )
        )
        self.stdout.write(f"manifest.json SHA-256 {digest} (keep it apart from the backup)")

    def verify(self, source: Path, expected: str) -> None:
        result = backup.verify(source)
        problems = list(result.problems)
        if expected and result.manifest_sha256 != expected:
            problems.insert(0, f"manifest.json has the SHA-256 {result.manifest_sha256}, not {expected}")
        if problems or result.manifest is None:
            raise CommandError(
                f"The backup in {source} does not verify:\n" + "\n".join(f"  - {p}" for p in problems)
            )
        manifest = result.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"The backup in {source} verifies: {len(manifest.files)} files match the manifest "
                f"(made {manifest.created_at} by Sigill {manifest.sigill_version} on {manifest.database_vendor})."
            )
        )
        self.stdout.write(f"manifest.json SHA-256 {result.manifest_sha256}")
