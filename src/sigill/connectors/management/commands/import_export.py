from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigill.connectors.exports.importing import import_export
from sigill.connectors.exports.source import ExportRefused
from sigill.registry.models import Account


class Command(BaseCommand):
    help = "Import a platform's export (a zip or a folder) into an account's archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The export: a zip file or an unpacked folder.")
        parser.add_argument("--account", required=True, help="The account's id or slug.")
        parser.add_argument(
            "--progress",
            choices=["auto", "bar", "lines", "none"],
            default="auto",
            help="How to show progress: a bar redrawn in place (the default on a terminal), a line "
            "per tenth done (the default in a log), or nothing.",
        )

    def handle(self, *args: Any, path: str, account: str, progress: str = "auto", **options: Any) -> None:
        accounts = Account.objects.select_related("platform")
        found = (
            accounts.filter(pk=int(account)) if account.isdigit() else accounts.filter(slug=account)
        ).first()
        if found is None:
            raise CommandError(f"No account {account!r}.")
        if options["verbosity"] == 0:
            progress = "none"
        elif progress == "auto":
            progress = "bar" if self.stdout.isatty() else "lines"
        show = self._bar if progress == "bar" else self._lines if progress == "lines" else None
        self._shown = -1
        try:
            run = import_export(account=found, location=Path(path), by=None, progress=show)
        except ExportRefused as refused:
            raise CommandError(refused.message) from refused
        if progress == "bar":
            self.stdout.write("")
        report = run.details
        self.stdout.write(
            f"Imported {report['file']} into {found}: {report['total']} items read, "
            f"{run.items} new items, {run.versions} new versions."
        )
        for kind, count in sorted(report["found"].items()):
            self.stdout.write(f"  {kind}: {count}")
        for skipped in report["skipped"]:
            self.stdout.write(f"  skipped {skipped['count']}: {skipped['reason']}")
            for where in skipped.get("where", []):
                self.stdout.write(f"    {where}")

    def _bar(self, done: int, total: int) -> None:
        filled = int(30 * done / max(total, 1))
        self.stdout.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", ending="")
        self.stdout.flush()

    def _lines(self, done: int, total: int) -> None:
        """One line per tenth done, so a log or a pipe shows the import moving without a line per batch."""
        tenth = 10 * done // max(total, 1)
        if tenth > self._shown:
            self._shown = tenth
            self.stdout.write(f"{done}/{total} items ({100 * done // max(total, 1)} %)")
