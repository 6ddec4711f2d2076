import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from sigill.records.services import earchive
from sigill.registry.models import Account


def _day(value: str) -> dt.datetime:
    try:
        return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(value), dt.time.min))
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD)") from error


class Command(BaseCommand):
    help = (
        "Write an e-archive package (FGS Paketstruktur 2.0: E-ARK CSIP/SIP) of an account's records "
        "published in a period, as a folder below --out."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("account", help="The account's slug in the registry.")
        parser.add_argument("--since", help="First day of the period (YYYY-MM-DD), inclusive.")
        parser.add_argument("--until", help="Last day of the period (YYYY-MM-DD), inclusive.")
        parser.add_argument("--out", default=".", help="The folder the package is written into.")
        parser.add_argument(
            "--only-kept", action="store_true", help="Only the records to keep (permanent or under no rule)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        account = Account.objects.filter(slug=options["account"]).first()
        if account is None:
            raise CommandError(f"No account with the slug {options['account']!r}")
        since = _day(options["since"]) if options["since"] else None
        until = _day(options["until"]) + dt.timedelta(days=1) if options["until"] else None
        summary = earchive.export(
            account=account,
            since=since,
            until=until,
            target=Path(options["out"]),
            only_kept=options["only_kept"],
        )
        self.stdout.write(self.style.SUCCESS(f"{summary.items} items written to {summary.path}"))
