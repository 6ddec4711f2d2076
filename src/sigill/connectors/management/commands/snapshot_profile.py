from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigill.connectors.snapshot import SnapshotFailed, due_for_snapshot, snapshot_profile
from sigill.registry.models import Account


class Command(BaseCommand):
    help = "Render accounts' public profiles to PDF and PNG with Chromium and capture them into the archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "accounts", nargs="*", help="Slugs; none: every live account without a snapshot this year."
        )
        parser.add_argument("--url", help="Render this address instead of the account's profile address.")

    def handle(self, *args: Any, accounts: list[str], url: str | None = None, **options: Any) -> None:
        targets = list(Account.objects.filter(slug__in=accounts)) if accounts else due_for_snapshot()
        if accounts and len(targets) != len(set(accounts)):
            raise CommandError(
                f"No account with the slug {', '.join(sorted(set(accounts) - {a.slug for a in targets}))}."
            )
        failed = 0
        for account in targets:
            try:
                item = snapshot_profile(account=account, url=url)
            except SnapshotFailed as exc:
                failed += 1
                self.stderr.write(f"{account.slug}: {exc}")
                continue
            self.stdout.write(f"{account.slug}: captured as archive item {item}")
        if failed:
            raise CommandError(f"{failed} snapshot(s) failed.")
