"""Demo data for the vault: a sealed login for every account that has gone live, an API token for
Vara kommun's Facebook page, and a vault deputy. All values are random; nothing here is real."""

from __future__ import annotations

import base64
import secrets

from django.db import transaction

from sigill.organisation.models import User
from sigill.registry.models import Account
from sigill.vault import services
from sigill.vault.models import Credential, VaultDeputy
from sigill.vault.totp import TotpSecret


def deposit_demo_login(account: Account, by: User) -> None:
    """A random demo login for ``account``, unless it has one (the registry demo calls this before it
    activates an account, as the vault requires)."""
    if Credential.objects.filter(account=account, kind=Credential.Kind.LOGIN).exists():
        return
    services.deposit_credential(
        account=account,
        by=by,
        label="Kontot",
        login_name=f"sociala.medier+{account.handle.lstrip('@')}@vara-kommun.example",
        secrets_given=services.Secrets(
            password=services.generate_password(),
            totp=TotpSecret(base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")),
            recovery_codes="\n".join(secrets.token_hex(4) for _ in range(5)),
            recovery_contact="kommunikation@vara-kommun.example",
        ),
    )


@transaction.atomic
def seed() -> None:
    comms = User.objects.get(username="comms")
    for account in Account.objects.filter(status__in=Account.STAFFED_STATUSES):
        deposit_demo_login(account, comms)
    page = Account.objects.filter(handle="varakommun", platform__slug="facebook").first()
    if page is not None and not Credential.objects.filter(account=page, label="API-token").exists():
        services.deposit_credential(
            account=page,
            by=comms,
            label="API-token",
            kind=Credential.Kind.API_TOKEN,
            secrets_given=services.Secrets(api_token=secrets.token_urlsafe(48)),
        )
    deputy = User.objects.filter(username="registrar").first()
    if deputy is not None and not VaultDeputy.objects.filter(user=deputy).exists():
        services.name_deputy(user=deputy, by=comms)
