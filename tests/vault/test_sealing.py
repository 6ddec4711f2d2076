"""Sealed fields open only where they were sealed, under the key that wrapped their data key."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from sigill.vault import services
from sigill.vault.crypto import SealBrokenError
from sigill.vault.keys import VaultKeyError, parse_key_ring
from sigill.vault.models import Credential
from tests.vault.conftest import SECRETS, deposit

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def ring(*names: str, keys: dict[str, bytes] | None = None) -> str:
    keys = keys or {}
    return ",".join(f"{name}:{base64.b64encode(keys.get(name) or os.urandom(32)).decode()}" for name in names)


def test_every_field_opens_to_what_was_sealed(credential: Credential) -> None:
    for name, value in SECRETS.items():
        assert services.open_field(credential, name) == value


def test_no_column_holds_a_secret_in_plaintext(credential: Credential) -> None:
    row = Credential.objects.filter(pk=credential.pk).values().get()
    stored = repr(row).encode()
    for value in SECRETS.values():
        assert value.encode() not in stored
        assert value not in repr(row)


def test_a_ciphertext_moved_to_another_credential_does_not_open(
    credential: Credential, account, alice
) -> None:
    other = deposit(account, alice, label="Business manager", password="en-helt-annan-kod-99")
    Credential.objects.filter(pk=other.pk).update(password_sealed=credential.password_sealed)
    other.refresh_from_db()
    with pytest.raises(SealBrokenError, match="moved from another credential or field"):
        services.open_field(other, "password")


def test_a_ciphertext_moved_to_another_field_does_not_open(credential: Credential) -> None:
    Credential.objects.filter(pk=credential.pk).update(notes_sealed=credential.password_sealed)
    credential.refresh_from_db()
    with pytest.raises(SealBrokenError) as error:
        services.open_field(credential, "notes")
    assert str(credential.pk) in str(error.value)
    assert SECRETS["password"] not in str(error.value)


def test_one_flipped_bit_does_not_open(credential: Credential) -> None:
    sealed = bytearray(bytes(credential.password_sealed))
    sealed[20] ^= 0x01
    Credential.objects.filter(pk=credential.pk).update(password_sealed=bytes(sealed))
    credential.refresh_from_db()
    with pytest.raises(SealBrokenError):
        services.open_field(credential, "password")


def test_a_data_key_moved_to_another_credential_does_not_open(credential: Credential, account, alice) -> None:
    other = deposit(account, alice, label="Business manager")
    Credential.objects.filter(pk=other.pk).update(wrapped_key=credential.wrapped_key)
    other.refresh_from_db()
    with pytest.raises(VaultKeyError, match="not the key that wrapped"):
        services.open_field(other, "password")


def test_a_wrong_master_key_gives_a_clear_error_and_changes_nothing(credential: Credential) -> None:
    before = Credential.objects.filter(pk=credential.pk).values().get()
    with override_settings(VAULT_KEYS=ring("demo2026")), pytest.raises(VaultKeyError, match="'demo2026'"):
        services.open_field(credential, "password")
    assert Credential.objects.filter(pk=credential.pk).values().get() == before
    assert services.open_field(credential, "password") == SECRETS["password"]


def test_a_master_key_missing_from_the_ring_is_named(credential: Credential) -> None:
    with (
        override_settings(VAULT_KEYS=ring("2027a")),
        pytest.raises(VaultKeyError, match="not in the key ring"),
    ):
        services.open_field(credential, "password")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("nocolon", "id:base64-key"),
        ("a:not base64!", "not valid base64"),
        ("a:" + base64.b64encode(b"short").decode(), "must be 32"),
        (ring("a") + "," + ring("a"), "twice"),
    ],
    # Named by the message, not by the random keys: every pytest-xdist worker collects the same ids.
    ids=["empty", "no colon", "not base64", "short key", "key named twice"],
)
def test_a_malformed_key_ring_is_explained(text: str, message: str) -> None:
    with pytest.raises(VaultKeyError, match=message):
        parse_key_ring(text)


def test_a_production_start_without_a_key_ring_stops_with_a_clear_message(tmp_path: Path) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DEBUG", "SIGILL_VAULT"))}
    clean.update(
        {"DEBUG": "false", "SECRET_KEY": "x" * 60, "SIGILL_VAR_DIR": str(tmp_path), "ALLOWED_HOSTS": "x"}
    )
    result = subprocess.run(  # noqa: S603 (our own manage.py, with a fixed argument list)
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "sigill.vault.E001" in result.stderr
    assert "SIGILL_VAULT_KEYS is not set" in result.stderr
