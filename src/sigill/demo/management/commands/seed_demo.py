from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from sigill.demo import (
    alerts,
    applications,
    archive,
    compliance,
    connectors,
    guidelines,
    inquiries,
    moderation,
    organisation,
    publishing,
    records,
    registry,
    reports,
    vault,
)

# Each app's demo module, in the order their data depends on each other; each has seed().
DEMO_MODULES = [
    organisation,
    registry,
    applications,
    vault,
    guidelines,
    compliance,
    archive,
    inquiries,
    connectors,
    alerts,
    moderation,
    records,
    reports,
    publishing,
]


class Command(BaseCommand):
    help = "Load Vara kommun's demo data. Idempotent: running it again adds only what is missing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Seed even with DEBUG off (never in production)."
        )
        parser.add_argument("--logins-only", action="store_true", help="Only print the demo log-ins.")

    def handle(self, *args: Any, force: bool = False, logins_only: bool = False, **options: Any) -> None:
        if not settings.DEVELOPMENT and not force:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: it creates users with a known password. "
                "Use --force if you mean it."
            )
        if not logins_only:
            # The demo's workflows send e-mail; it is kept in memory, not printed on the console.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                for module in DEMO_MODULES:
                    module.seed()
            if options["verbosity"] > 0:
                self.stdout.write(self.style.SUCCESS("Demo data loaded for Vara kommun."))
        if logins_only or options["verbosity"] > 0:
            self.print_logins()

    def print_logins(self) -> None:
        self.stdout.write(f"Demo log-ins (password: {settings.DEMO_PASSWORD}):")
        for username in organisation.DEMO_LOGINS:
            self.stdout.write(f"  {username}")
        self.stdout.write(
            f"comms and registrar also need a code from an authenticator app with the key {organisation.DEMO_TOTP_SECRET}."
        )
