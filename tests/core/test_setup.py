"""First run: `manage.py setup` makes the municipality and the first comms user, who gets in by a one-time link."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from sigill.compliance.models import Municipality
from sigill.core.models import AuditEntry
from sigill.organisation.models import Membership, Role, Unit, User
from tests.conftest import current_code

pytestmark = pytest.mark.django_db

EXAMPLE = str(Path(__file__).resolve().parents[2] / "docs" / "units.example.csv")
FLAGS = [
    "--no-input",
    "--name=Vara kommun",
    "--organisation-number=2120001652",
    "--website=https://www.vara.se",
    "--phone=0512-310 00",
    "--street-address=Torget 1",
    "--postal-code=534 81",
    "--city=Vara",
    "--username=karin",
    "--user-email=karin.lindqvist@vara.se",
    "--first-name=Karin",
    "--last-name=Lindqvist",
]
NEW_PASSWORD = "a-long-new-password-2026"


def setup(*flags: str) -> str:
    out = StringIO()
    call_command("setup", *flags, stdout=out)
    return out.getvalue()


def link_in(output: str) -> str:
    match = re.search(r"http://\S+/welcome/\S+/", output)
    assert match, output
    return match.group(0).split("8000", 1)[1]


def test_setup_makes_the_municipality_and_the_first_comms_user() -> None:
    output = setup(*FLAGS)
    place = Municipality.objects.get()
    assert (place.name, place.organisation_number, place.phone, place.address) == (
        "Vara kommun",
        "212000-1652",
        "0512-310 00",
        "Torget 1, 534 81 Vara",
    )
    karin = User.objects.get(username="karin")
    assert not karin.has_usable_password()
    assert Membership.objects.filter(user=karin, role=Role.COMMS, unit__slug="kommunledning").exists()
    assert "Vara kommun is set up (212000-1652)." in output
    assert (
        AuditEntry.objects.filter(act="compliance.municipality.set_up", actor_label="manage.py setup").count()
        == 1
    )


def test_setup_loads_units_from_a_file_and_places_comms_in_the_unit_named() -> None:
    output = setup(*FLAGS, f"--units={EXAMPLE}", "--comms-unit=kommunikation")
    assert "Units imported: 11 created" in output
    assert Unit.objects.count() == 11
    assert Membership.objects.get(user__username="karin").unit.slug == "kommunikation"


def test_setup_run_twice_changes_nothing_and_says_so() -> None:
    setup(*FLAGS)
    with pytest.raises(
        CommandError, match=r"already set up for Vara kommun \(212000-1652\); nothing was changed"
    ):
        setup(
            *[flag for flag in FLAGS if not flag.startswith("--name")],
            "--name=Andra kommun",
            "--username=olle",
        )
    assert Municipality.objects.get().name == "Vara kommun"
    assert not User.objects.filter(username="olle").exists()


def test_a_wrong_organisation_number_stops_setup_before_anything_is_written() -> None:
    flags = [flag for flag in FLAGS if not flag.startswith("--organisation-number")]
    with pytest.raises(CommandError, match="--organisation-number: ”2120001653” är inte ett giltigt"):
        setup(*flags, "--organisation-number=2120001653")
    assert not Municipality.objects.exists()


def test_a_bad_units_file_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    bad = tmp_path / "units.csv"
    bad.write_text("code,name,parent_code\nskola,Skolan,okand\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2"):
        setup(*FLAGS, f"--units={bad}")
    assert not Municipality.objects.exists()
    assert not User.objects.exists()
    assert not Unit.objects.exists()


def test_no_input_names_the_missing_flag() -> None:
    with pytest.raises(CommandError, match="--username is required with --no-input"):
        setup(*[flag for flag in FLAGS if not flag.startswith("--username")])


def test_setup_asks_for_what_the_flags_do_not_give(monkeypatch: Any) -> None:
    answers = iter(
        [
            "Vara kommun",
            "123",
            "2120001652",
            "https://www.vara.se",
            "0512-310 00",
            "",
            "",
            "",
            "",
            "karin",
            "karin@vara.se",
            "",
            "",
            "",
        ]
    )
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    err = StringIO()
    call_command("setup", stdout=StringIO(), stderr=err)
    assert "”123” är inte ett giltigt svenskt organisationsnummer" in err.getvalue()
    assert Municipality.objects.get().organisation_number == "212000-1652"


def test_the_one_time_link_lets_the_first_user_choose_a_password_then_set_up_two_factor() -> None:
    link = link_in(setup(*FLAGS))
    client = Client()
    form_page = client.get(link, follow=True)
    assert "Välj ditt lösenord" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    karin = User.objects.get(username="karin")
    assert karin.check_password(NEW_PASSWORD)
    # Comms cannot do anything before two-factor is set up: every page leads to the set-up step.
    start = client.get(reverse("core:home"))
    assert start["Location"].startswith(reverse("core:two_factor"))
    client.get(reverse("core:two_factor"))
    device = TOTPDevice.objects.get(user=karin, confirmed=False)
    client.post(reverse("core:two_factor"), {"code": current_code(device)})
    assert client.get(reverse("core:home")).status_code == 200
    assert AuditEntry.objects.filter(act="core.auth.first_password_set", actor=karin).count() == 1


def test_the_link_works_only_once() -> None:
    link = link_in(setup(*FLAGS))
    client = Client()
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = Client().get(link, follow=True)
    assert "Länken fungerar inte längre" in again.content.decode()


def test_a_new_link_can_be_printed_for_someone(alice: User) -> None:
    out = StringIO()
    call_command("sign_in_link", "alice", stdout=out)
    assert "/welcome/" in out.getvalue()
    with pytest.raises(CommandError, match="no active user"):
        call_command("sign_in_link", "nobody", stdout=StringIO())


def test_add_person_gives_a_role_in_a_unit_and_a_link_that_lets_them_in(units: dict[str, Unit]) -> None:
    out = StringIO()
    call_command(
        "add_person",
        "dana.dahl",
        "--email=dana.dahl@vara.se",
        "--unit=kansli",
        "--role=registrar",
        stdout=out,
    )
    dana = User.objects.get(username="dana.dahl")
    assert list(dana.memberships.values_list("unit__slug", "role")) == [("kansli", "registrar")]
    assert not dana.has_usable_password()
    client = Client()
    form_page = client.get(link_in(out.getvalue()), follow=True)
    assert "Välj ditt lösenord" in form_page.content.decode()
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    # The registrar, like comms, sets up two-factor before anything else.
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("core:two_factor"))
    assert AuditEntry.objects.filter(act="organisation.person.created", target_id=str(dana.pk)).exists()


def test_add_person_refuses_an_unknown_unit_or_a_taken_username(alice: User) -> None:
    with pytest.raises(CommandError, match="no unit with the code 'ekonomi'"):
        call_command("add_person", "dana", "--email=d@vara.se", "--unit=ekonomi", "--role=registrar")
    with pytest.raises(CommandError, match=r"Nobody was added: .*alice"):
        call_command("add_person", "alice", "--email=a@vara.se", "--unit=kansli", "--role=editor")
    assert not User.objects.filter(username="dana").exists()
