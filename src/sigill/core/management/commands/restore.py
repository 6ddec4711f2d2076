from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigill.core import backup


class Command(BaseCommand):
    help = (
        "Restore the backup in the folder SRC into this installation, which must be new: migrated "
        "to the backup's migration state, with no data. All or nothing, in one transaction; stop "
        "the web server, the workers and the scheduler first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", metavar="SRC", type=Path)

    def handle(self, *args: Any, source: Path, **options: Any) -> None:
        progress = self.stdout.write if options["verbosity"] > 1 else None
        try:
            restored = backup.restore(source, progress=progress)
        except backup.RestoreRefusedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup made {restored.manifest.created_at}: {restored.rows} rows and "
                f"{restored.files} media files. Run verify_archive and verify_audit next."
            )
        )
