from typing import Any

from django.core.management.base import BaseCommand

from sigill.guidelines import services


class Command(BaseCommand):
    help = (
        "E-mail the editors about a guideline version that has come into force since it was published "
        "(a version in force at once is reminded of on publishing). Run daily; idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = services.send_due_reminders()
        if options["verbosity"] > 0:
            self.stdout.write(f"Reminders sent: {sent}")
