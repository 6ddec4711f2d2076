"""Print a new one-time sign-in link for a person (for example when the first one expired)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigill.core.sign_in_links import sign_in_link
from sigill.organisation.models import User


class Command(BaseCommand):
    help = "Print a one-time link with which a person chooses a new password and signs in (valid three days)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        person = User.objects.filter(username__iexact=username, is_active=True).first()
        if person is None:
            raise CommandError(f"There is no active user with the username {username!r}.")
        self.stdout.write(sign_in_link(person))
