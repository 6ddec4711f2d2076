"""Vault fixtures: Vara bibliotek's Instagram account with a credential holding every kind of secret.

Each secret is a distinctive string, so a test can search a database dump, the logs or a page for it.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client

from sigill.core import two_factor
from sigill.organisation.models import Unit, User
from sigill.registry import services as registry_services
from sigill.registry.models import Account
from sigill.vault import services
from sigill.vault.models import Credential, VaultDeputy
from sigill.vault.totp import TotpSecret
from tests.conftest import restore_data_migrations
from tests.registry.fixtures import account_data

SECRETS = {
    "password": "Pw-Mullvad-7731-kanel",
    "totp_secret": "JBSWY3DPEHPK3PXPJBSWY3DP",
    "recovery_codes": "rc-4411-blåbär\nrc-9902-lingon",
    "recovery_contact": "+46 70 555 01 23",
    "notes": "Säkerhetsfråga: hönan Agda",
}
API_TOKEN = "EAAtoken-hemlig-0042-xyz"


def all_secrets(**overrides: Any) -> services.Secrets:
    values = {**SECRETS, **overrides}
    return services.Secrets(
        password=values["password"],
        totp=TotpSecret(values["totp_secret"]),
        recovery_codes=values["recovery_codes"],
        recovery_contact=values["recovery_contact"],
        notes=values["notes"],
    )


def library_account_for(units: dict[str, Unit], by: User) -> Account:
    existing = Account.objects.filter(handle="varabibliotek").first()
    if existing is not None:
        return existing
    people = User.objects.in_bulk(["erik", "bob"], field_name="username")
    return registry_services.create_account(
        data=account_data(units["bibliotek"], responsible=people.get("erik"), deputy=people.get("bob")), by=by
    )


def deposit(account: Account, by: User, label: str = "Sidan", **overrides: Any) -> Credential:
    return services.deposit_credential(
        account=account,
        by=by,
        label=label,
        login_name="bibliotek@vara.example",
        secrets_given=all_secrets(**overrides),
    )


def fresh_two_factor(client: Client) -> Client:
    """Mark the client's session as having passed a two-factor code just now."""
    session = client.session
    session[two_factor.VERIFIED_AT_SESSION_KEY] = time.time()
    session.save()
    return client


@pytest.fixture
def account(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    return library_account_for(units, alice)


@pytest.fixture
def credential(account: Account, alice: User) -> Credential:
    return deposit(account, alice)


@pytest.fixture
def platform_catalogue(transactional_db: None) -> None:
    """Load the platform catalogue again: a live server's or transactional test's flush empties it."""
    restore_data_migrations()


def credential_for_matrix() -> Credential:
    """For the permission matrix: a credential on the library account, made once per test."""
    alice = User.objects.get(username="alice")
    units = {unit.slug: unit for unit in Unit.objects.all()}
    account = library_account_for(units, alice)
    return Credential.objects.filter(account=account).first() or deposit(account, alice)


def deputy_for_matrix() -> VaultDeputy:
    charlie = User.objects.get(username="charlie")
    existing = VaultDeputy.objects.filter(user=charlie, revoked_at__isnull=True).first()
    return existing or services.name_deputy(user=charlie, by=User.objects.get(username="alice"))
