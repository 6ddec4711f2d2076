from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigill.inquiries.mail_intake import read_maildir


class Command(BaseCommand):
    help = "Read new mail to the contact center's address from a maildir into inquiries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "maildir", nargs="?", default=settings.INQUIRY_MAILDIR, help="The maildir to read."
        )

    def handle(self, *args: Any, maildir: str = "", **options: Any) -> None:
        if not maildir:
            raise CommandError("Name the maildir, or set INQUIRY_MAILDIR.")
        path = Path(maildir)
        if not (path / "new").is_dir() or not (path / "cur").is_dir():
            raise CommandError(f"{path} is not a maildir: it needs the folders new/ and cur/.")
        result = read_maildir(path)
        self.stdout.write(f"{result.created} new inquiries, {result.known} already read.")
        for problem in result.refused:
            self.stderr.write(f"Refused {problem}")
