"""First run: the municipality, its units and the first communications officer (docs/operations.md).

Interactive by default; ``--no-input`` takes everything from flags, for scripts. Everything is
written in one transaction: a bad organisation number or a bad line in the units file leaves the
database as it was. Running it again on a set-up installation changes nothing and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from sigill.compliance import services as compliance_services
from sigill.compliance.models import Municipality, formatted_organisation_number
from sigill.compliance.selectors import municipality
from sigill.core.sign_in_links import sign_in_link
from sigill.organisation import selectors as organisation_selectors
from sigill.organisation import services as organisation_services
from sigill.organisation.selectors import Role
from sigill.organisation.unit_files import import_file, summary

ACTOR = "manage.py setup"

# (option, question, required): asked in this order when interactive.
MUNICIPALITY_QUESTIONS: list[tuple[str, str, bool]] = [
    ("name", "The municipality's name (e.g. Vara kommun)", True),
    ("organisation_number", "Organisation number (e.g. 212000-1652)", True),
    ("website", "Website (e.g. https://www.vara.se)", True),
    ("phone", "Switchboard phone number", True),
    ("email", "Public e-mail address", False),
    ("street_address", "Street address", False),
    ("postal_code", "Postal code", False),
    ("city", "City", False),
]
PERSON_QUESTIONS: list[tuple[str, str, bool]] = [
    ("username", "Username of the first communications officer", True),
    ("user_email", "Their e-mail address", True),
    ("first_name", "Their first name", False),
    ("last_name", "Their last name", False),
]


def _checked(option: str, value: str) -> str:
    """``value`` as stored, or a ValidationError saying what is wrong with it."""
    if option == "organisation_number":
        return formatted_organisation_number(value)
    return value


class Command(BaseCommand):
    help = (
        "Set up a new installation: the municipality (name, organisation number, website, switchboard, "
        "address), optionally its units from a CSV file, and the first communications officer, who "
        "gets a one-time sign-in link to choose a password and set up two-factor authentication."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Ask nothing; use the flags.",
        )
        for option, question, _required in [*MUNICIPALITY_QUESTIONS, *PERSON_QUESTIONS]:
            parser.add_argument(f"--{option.replace('_', '-')}", dest=option, default="", help=question)
        parser.add_argument("--units", default="", help="A CSV file of units to load (see import_units).")
        parser.add_argument(
            "--comms-unit",
            default="kommunledning",
            help="Code of the unit the communications officer works in; created as an administration "
            "if neither Sigill nor the units file has it (default: kommunledning).",
        )
        parser.add_argument(
            "--comms-unit-name",
            default="Kommunledningsförvaltningen",
            help="Name of the communications officer's unit, if it has to be created.",
        )

    def handle(self, *args: Any, interactive: bool = True, **options: Any) -> None:
        if Municipality.objects.exists():
            place = municipality()
            number = f" ({place.organisation_number})" if place.organisation_number else ""
            raise CommandError(
                f"Sigill is already set up for {place.name}{number}; nothing was changed. Change the "
                "municipality's details in Sigill (Compliance, the municipality's contact details), load "
                "units with `manage.py import_units FILE`, and give someone a new sign-in link with "
                "`manage.py sign_in_link USERNAME`."
            )
        self._given = options
        ask: Callable[[str, str, bool], str] = self._ask if interactive else self._flag
        questions = [*MUNICIPALITY_QUESTIONS, *PERSON_QUESTIONS]
        answers = {option: ask(option, question, required) for option, question, required in questions}
        units = options["units"]
        if interactive and not units:
            units = input("A CSV file of units to load (empty: none): ").strip()
        self._set_up(
            answers, units=units, comms_unit=options["comms_unit"], comms_unit_name=options["comms_unit_name"]
        )

    def _set_up(self, answers: dict[str, str], *, units: str, comms_unit: str, comms_unit_name: str) -> None:
        details = {option: answers[option] for option, _q, _r in MUNICIPALITY_QUESTIONS}
        try:
            with transaction.atomic():
                place = compliance_services.set_up_municipality(details=details, actor_label=ACTOR)
                plan = import_file(units) if units else None
                unit = self._comms_unit(comms_unit, comms_unit_name)
                person = organisation_services.create_person(
                    username=answers["username"],
                    email=answers["user_email"],
                    first_name=answers["first_name"],
                    last_name=answers["last_name"],
                    actor_label=ACTOR,
                )
                organisation_services.grant_membership(user=person, unit=unit, role=Role.COMMS)
        except compliance_services.AlreadySetUp as exc:
            raise CommandError(f"Sigill is already set up for {exc}; nothing was changed.") from exc
        except ValidationError as exc:
            raise CommandError(f"Nothing was set up: {'; '.join(exc.messages)}") from exc
        self.stdout.write(self.style.SUCCESS(f"{place.name} is set up ({place.organisation_number})."))
        if plan is not None:
            self.stdout.write(f"Units imported: {summary(plan)}")
        self.stdout.write(
            f"{person.username} is the first communications officer, in {unit.name}. Give them this "
            "one-time sign-in link (valid for three days); they choose a password, then set up "
            "two-factor authentication with an authenticator app:"
        )
        self.stdout.write(sign_in_link(person))

    @staticmethod
    def _comms_unit(code: str, name: str) -> Any:
        unit = organisation_selectors.unit_by_slug(code)
        if unit is None:
            unit = organisation_services.create_unit(name=name, slug=code, kind="administration", parent=None)
        return unit

    def _flag(self, option: str, question: str, required: bool) -> str:
        value = str(self._given.get(option, "")).strip()
        if required and not value:
            raise CommandError(f"--{option.replace('_', '-')} is required with --no-input ({question}).")
        if value:
            try:
                return _checked(option, value)
            except ValidationError as exc:
                raise CommandError(f"--{option.replace('_', '-')}: {' '.join(exc.messages)}") from exc
        return value

    def _ask(self, option: str, question: str, required: bool) -> str:
        given = str(self._given.get(option, "")).strip()
        while True:
            value = given or input(f"{question}: ").strip()
            given = ""
            if not value and not required:
                return ""
            if not value:
                self.stderr.write("This one is needed.")
                continue
            try:
                return _checked(option, value)
            except ValidationError as exc:
                self.stderr.write(" ".join(exc.messages))
