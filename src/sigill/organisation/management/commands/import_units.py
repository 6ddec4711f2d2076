"""Load the municipality's units from a CSV file (columns: code, name, parent_code, kind)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sigill.organisation.unit_files import import_file, summary


class Command(BaseCommand):
    help = (
        "Import units from a CSV file with the columns code, name, parent_code and (optionally) kind; "
        "see docs/units.example.csv. All or nothing; importing the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The CSV file (UTF-8, commas or semicolons).")

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        plan = import_file(path)
        self.stdout.write(self.style.SUCCESS(f"Units imported: {summary(plan)}"))
