from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigill.core.settings_reference import reference


def settings_module() -> Path:
    return Path(settings.BASE_DIR) / "src" / "sigill" / "settings.py"


def reference_file() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "configuration.md"


class Command(BaseCommand):
    help = (
        "Print the configuration reference generated from src/sigill/settings.py; with --write, "
        "update docs/configuration.md; with --check, fail if that file is out of date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--write", action="store_true", help="Write docs/configuration.md.")
        group.add_argument("--check", action="store_true", help="Fail if docs/configuration.md is stale.")

    def handle(self, *args: Any, write: bool, check: bool, **options: Any) -> None:
        text = reference(settings_module())
        target = reference_file()
        if write:
            target.write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"Wrote {target}."))
        elif check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                raise CommandError(
                    f"{target} is out of date with src/sigill/settings.py: run "
                    "`manage.py settings_reference --write` and commit it."
                )
            self.stdout.write(self.style.SUCCESS(f"{target} is up to date."))
        else:
            self.stdout.write(text, ending="")
