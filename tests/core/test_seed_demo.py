"""The demo data: Vara kommun, one user per role, runnable again without harm."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from sigill.core.models import AuditEntry
from sigill.organisation.models import Membership, Unit, User
from sigill.organisation.selectors import roles_of

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_it_creates_one_user_per_role_named_after_the_role() -> None:
    output = seed()
    for role in ("comms", "unit_manager", "editor", "registrar", "contact_center", "employee"):
        assert role in roles_of(User.objects.get(username=role))
        assert f"  {role}" in output
    assert Unit.objects.count() >= 10


def test_running_it_again_changes_nothing() -> None:
    seed()
    counts = (
        User.objects.count(),
        Unit.objects.count(),
        Membership.objects.count(),
        AuditEntry.objects.count(),
    )
    seed()
    assert counts == (
        User.objects.count(),
        Unit.objects.count(),
        Membership.objects.count(),
        AuditEntry.objects.count(),
    )


def test_comms_and_the_registrar_have_the_documented_authenticator() -> None:
    seed()
    assert set(TOTPDevice.objects.values_list("user__username", flat=True)) == {
        "comms",
        "registrar",
        "elin.karlsson",
    }


def test_every_demo_user_can_sign_in_with_the_demo_password(settings) -> None:
    seed()
    client = Client()
    response = client.post(
        reverse("core:login"), {"username": "employee", "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_it_refuses_to_run_with_debug_off(settings) -> None:
    settings.DEVELOPMENT = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()
