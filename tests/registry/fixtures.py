"""Registry fixtures: platforms come from the data migration; accounts are made through the services."""

from __future__ import annotations

from typing import Any

import pytest

from sigill.organisation.models import Unit, User
from sigill.registry import services
from sigill.registry.models import Account, Platform, Purpose
from sigill.vault import services as vault_services


def platform(slug: str) -> Platform:
    return Platform.objects.get(slug=slug)


def account_data(
    unit: Unit, *, url: str = "instagram.com/varabibliotek", **overrides: Any
) -> services.AccountData:
    fields: dict[str, Any] = {
        "platform": platform(overrides.pop("platform", "instagram")),
        "profile_url": url,
        "display_name": "Vara bibliotek",
        "unit": unit,
        "purposes": list(Purpose.objects.filter(code__in=["dialogue", "news"])),
        "purpose_statement": "Lästips och evenemang på biblioteket.",
        "target_audience": "Låntagare",
    }
    fields.update(overrides)
    return services.AccountData(**fields)


@pytest.fixture
def library_account(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    """Vara bibliotek on Instagram: planned, Erik responsible and Bob his deputy."""
    return services.create_account(
        data=account_data(units["bibliotek"], responsible=erik, deputy=bob), by=alice
    )


def deposit_login(account: Account, by: User) -> None:
    """The vault must hold an account's login before the account is activated."""
    vault_services.deposit_credential(
        account=account,
        by=by,
        label="Kontot",
        secrets_given=vault_services.Secrets(password="pw-" + account.slug),
    )


def activate(account: Account, by: User) -> Account:
    deposit_login(account, by)
    account = services.change_status(account=account, to=Account.Status.SETTING_UP, reason="Godkänd.", by=by)
    return services.change_status(account=account, to=Account.Status.ACTIVE, reason="Klar.", by=by)
