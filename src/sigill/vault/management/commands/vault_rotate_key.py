from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sigill.vault import services
from sigill.vault.keys import VaultKeyError, key_provider


class Command(BaseCommand):
    help = (
        "Re-wrap every credential's data key under the current (first) master key of the ring. "
        "Resumable: run it again after an interruption. Keep the old key in the ring until it finishes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            current = key_provider().current_key_id()

            def progress(done: int) -> None:
                if done % 100 == 0 and options["verbosity"] > 1:
                    self.stdout.write(f"  {done} re-wrapped")

            done = services.rotate_master_key(progress=progress)
        except VaultKeyError as exc:
            raise CommandError(
                f"{exc} Credentials not yet re-wrapped keep their old key; nothing was lost."
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(f"{done} data keys re-wrapped; every credential is on {current}.")
        )
