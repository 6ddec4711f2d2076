"""Add a person with a role in a unit, and print their one-time sign-in link.

For an installation without single sign-on, and for break-glass accounts beside it: with SSO,
people come at their first sign-in with the roles of their groups. Comms gives further roles in
Sigill (Organisation, the unit's page).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from sigill.core.sign_in_links import sign_in_link
from sigill.organisation import selectors, services
from sigill.organisation.models import Role

ACTOR = "manage.py add_person"


class Command(BaseCommand):
    help = (
        "Add a person with a role in a unit and print a one-time sign-in link (valid three days) with "
        "which they choose a password; comms and the registrar then set up two-factor authentication."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", required=True, help="Their e-mail address.")
        parser.add_argument("--unit", required=True, help="The code of the unit they work in.")
        parser.add_argument("--role", required=True, choices=Role.values, help="Their role in that unit.")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args: Any, username: str, unit: str, role: str, **options: Any) -> None:
        place = selectors.unit_by_slug(unit)
        if place is None:
            raise CommandError(f"There is no unit with the code {unit!r}; nobody was added.")
        if place.is_closed:
            raise CommandError(f"{place.name} is closed; nobody was added.")
        try:
            with transaction.atomic():
                person = services.create_person(
                    username=username,
                    email=options["email"],
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                    actor_label=ACTOR,
                )
                services.grant_membership(user=person, unit=place, role=role)
        except ValidationError as exc:
            raise CommandError(f"Nobody was added: {'; '.join(exc.messages)}") from exc
        self.stdout.write(
            f"{person.username} is {Role(role).label.lower()} in {place.name}. Give them this one-time "
            "sign-in link (valid for three days):"
        )
        self.stdout.write(sign_in_link(person))
