"""vault_rotate_key re-wraps every data key under the current master key, and can be run again."""

from __future__ import annotations

import base64
import os
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from sigill.core.models import AuditEntry
from sigill.vault import services
from sigill.vault.models import Credential
from tests.vault.conftest import SECRETS, deposit

pytestmark = pytest.mark.django_db
NEW = "2027a:" + base64.b64encode(os.urandom(32)).decode()


class Interrupted(Exception):
    pass


@pytest.fixture
def credentials(account, alice) -> list[Credential]:
    return [deposit(account, alice, label=f"Inloggning {number}") for number in range(6)]


def test_after_rotation_the_old_key_can_leave_the_ring_and_everything_opens(credentials) -> None:
    with override_settings(VAULT_KEYS=f"{NEW},{settings.VAULT_KEYS}"):
        out = StringIO()
        call_command("vault_rotate_key", stdout=out)
        assert "6 data keys re-wrapped" in out.getvalue()
    with override_settings(VAULT_KEYS=NEW):
        for credential in Credential.objects.all():
            assert credential.key_id == "2027a"
            assert services.open_field(credential, "password") == SECRETS["password"]
            assert services.open_field(credential, "notes") == SECRETS["notes"]
    assert AuditEntry.objects.filter(act="vault.keys.rotated", details__rewrapped=6).exists()


def test_an_interrupted_rotation_finishes_when_run_again(credentials) -> None:
    def stop_half_way(done: int) -> None:
        if done == 3:
            raise Interrupted

    with override_settings(VAULT_KEYS=f"{NEW},{settings.VAULT_KEYS}"):
        with pytest.raises(Interrupted):
            services.rotate_master_key(progress=stop_half_way)
        assert Credential.objects.filter(key_id="2027a").count() == 3
        assert services.rotate_master_key() == 3
    with override_settings(VAULT_KEYS=NEW):
        assert [services.open_field(c, "password") for c in Credential.objects.all()] == [
            SECRETS["password"]
        ] * 6


def test_a_rotation_without_the_old_key_stops_clearly_and_loses_nothing(credentials) -> None:
    with override_settings(VAULT_KEYS=NEW), pytest.raises(CommandError, match="nothing was lost"):
        call_command("vault_rotate_key", stdout=StringIO())
    assert not Credential.objects.filter(key_id="2027a").exists()
    assert services.open_field(credentials[0], "password") == SECRETS["password"]
