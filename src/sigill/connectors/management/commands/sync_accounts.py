from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigill.connectors.models import Connection
from sigill.connectors.sync import sync, take_due


class Command(BaseCommand):
    help = "Sync the accounts whose sync is due (or the ones named), here and now rather than on the worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("accounts", nargs="*", help="Slugs of accounts to sync now, due or not.")

    def handle(self, *args: Any, accounts: list[str], **options: Any) -> None:
        if accounts:
            connections = Connection.objects.filter(account__slug__in=accounts).select_related(
                "account__platform"
            )
            missing = set(accounts) - {c.account.slug for c in connections}
            if missing:
                raise CommandError(f"No connected account with the slug {', '.join(sorted(missing))}.")
            targets = [c.account for c in connections]
        else:
            targets = take_due()
        for account in targets:
            run = sync(account)
            if run is None:
                self.stdout.write(f"{account.slug}: another worker is syncing it")
                continue
            line = f"{account.slug}: {run.outcome}, {run.pages} pages, {run.items} new items, {run.versions} new versions"
            self.stdout.write(line + (f" ({run.error})" if run.error else ""))
        if not targets and options["verbosity"] > 0:
            self.stdout.write("No account is due.")
