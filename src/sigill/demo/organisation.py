"""Demo data for the organisation: Vara kommun's units, people and roles (all invented)."""

from __future__ import annotations

import base64
import binascii

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from sigill.core import sign_in_guard
from sigill.core.models import SignInLock, SignInStage
from sigill.organisation import services
from sigill.organisation.models import GroupMapping, Role, Unit, User

# The authenticator secret of the demo users who need two-factor (README, browser tests).
DEMO_TOTP_SECRET = "SIGILLDEMO2FA234"  # noqa: S105 (documented in the README, demo only)

# (slug, name, kind, parent slug)
UNITS = [
    ("kommunledning", "Kommunledningsförvaltningen", Unit.Kind.ADMINISTRATION, None),
    ("kommunikation", "Kommunikationsavdelningen", Unit.Kind.DEPARTMENT, "kommunledning"),
    ("kansli", "Kansliavdelningen", Unit.Kind.DEPARTMENT, "kommunledning"),
    ("kontaktcenter", "Kontaktcenter", Unit.Kind.SECTION, "kansli"),
    ("bildning", "Bildningsförvaltningen", Unit.Kind.ADMINISTRATION, None),
    ("grundskola", "Grundskoleavdelningen", Unit.Kind.DEPARTMENT, "bildning"),
    ("nastegardsskolan", "Nästegårdsskolan", Unit.Kind.SECTION, "grundskola"),
    ("kultur-fritid", "Kultur och fritid", Unit.Kind.DEPARTMENT, "bildning"),
    ("bibliotek", "Vara bibliotek", Unit.Kind.SECTION, "kultur-fritid"),
    ("samhallsbyggnad", "Samhällsbyggnadsförvaltningen", Unit.Kind.ADMINISTRATION, None),
    ("gata-park", "Gata och park", Unit.Kind.DEPARTMENT, "samhallsbyggnad"),
    ("vard-omsorg", "Vård- och omsorgsförvaltningen", Unit.Kind.ADMINISTRATION, None),
    ("aldreomsorg", "Äldreomsorgen", Unit.Kind.DEPARTMENT, "vard-omsorg"),
    ("turistbyran", "Turistbyrån", Unit.Kind.SECTION, "kultur-fritid"),
]
# Units that have ended: closed, never deleted (the tourist office moved to the region).
CLOSED_UNITS = ["turistbyran"]
# Single sign-on groups (invented Entra ID object ids) and the roles they give when SSO is on.
GROUP_MAPPINGS = [
    ("0b7c5e1a-0000-4000-8000-00000000c0c0", "kommunikation", Role.COMMS),
    ("0b7c5e1a-0000-4000-8000-00000000b1b1", "bibliotek", Role.EDITOR),
]

# (username, first name, last name, [(unit slug, role), ...]); the first six are the demo log-ins.
PEOPLE = [
    ("comms", "Karin", "Lindqvist", [("kommunikation", Role.COMMS)]),
    ("unit_manager", "Anders", "Holm", [("bildning", Role.UNIT_MANAGER)]),
    ("editor", "Sara", "Nyberg", [("bibliotek", Role.EDITOR)]),
    ("registrar", "Maria", "Ek", [("kansli", Role.REGISTRAR)]),
    ("contact_center", "Johan", "Berg", [("kontaktcenter", Role.CONTACT_CENTER)]),
    ("employee", "Lina", "Åberg", [("nastegardsskolan", Role.EMPLOYEE)]),
    ("per.sandberg", "Per", "Sandberg", [("samhallsbyggnad", Role.UNIT_MANAGER)]),
    ("eva.strand", "Eva", "Strand", [("kommunledning", Role.UNIT_MANAGER)]),
    ("ahmed.yilmaz", "Ahmed", "Yilmaz", [("gata-park", Role.EDITOR)]),
    ("elin.karlsson", "Elin", "Karlsson", [("kommunikation", Role.COMMS), ("kommunikation", Role.EDITOR)]),
    ("nils.persson", "Nils", "Persson", [("aldreomsorg", Role.EMPLOYEE)]),
]

DEMO_LOGINS = [person[0] for person in PEOPLE[:6]]


def demo_totp_key_hex() -> str:
    return binascii.hexlify(base64.b32decode(DEMO_TOTP_SECRET)).decode()


@transaction.atomic
def seed() -> None:
    """Create what is missing; leave what exists (and whatever was done with it) alone."""
    units: dict[str, Unit] = {unit.slug: unit for unit in Unit.objects.all()}
    for slug, name, kind, parent_slug in UNITS:
        if slug not in units:
            parent = units[parent_slug] if parent_slug else None
            units[slug] = services.create_unit(name=name, slug=slug, kind=kind, parent=parent)
    # One hash for every demo user: hashing the same demo password eleven times takes seconds.
    demo_password = make_password(settings.DEMO_PASSWORD)
    for username, first_name, last_name, roles in PEOPLE:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username.replace('_', '.')}@vara-kommun.example",
            },
        )
        if created:
            user.password = demo_password
            user.save(update_fields=["password"])
        for slug, role in roles:
            services.grant_membership(user=user, unit=units[slug], role=role)
        if any(role in settings.TWO_FACTOR_ROLES for _slug, role in roles):
            TOTPDevice.objects.get_or_create(
                user=user, name="Demo", defaults={"key": demo_totp_key_hex(), "confirmed": True}
            )
    comms = User.objects.get(username="comms")
    for slug in CLOSED_UNITS:
        if not units[slug].is_closed:
            services.close_unit(unit=units[slug], by=comms)
    for group_id, slug, role in GROUP_MAPPINGS:
        if not GroupMapping.objects.filter(group_id=group_id, unit=units[slug], role=role).exists():
            services.add_group_mapping(group_id=group_id, unit=units[slug], role=role, by=comms)
    _seed_guessing()


def _seed_guessing() -> None:
    """Someone tried one password across many names from one address: comms see the wait it brought
    (Sign-in waits) and can lift it. The failures go through the sign-in guard, as real ones do."""
    if SignInLock.objects.exists():
        return
    for number in range(settings.SIGN_IN_FAILURES_PER_ADDRESS):
        attempt = sign_in_guard.Attempt(
            stage=SignInStage.PASSWORD, username=f"Anvandare{number}", address="198.51.100.23"
        )
        sign_in_guard.record_failure(attempt)
