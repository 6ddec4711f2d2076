"""Who may open the vault.

Comms holds every account's login details (G4). People comms names as vault deputies may do what
comms does with credentials, except export them all and name other deputies. Nobody else sees
that a credential exists.
"""

from __future__ import annotations

from django.db.models import QuerySet

from sigill.core.policies import Policy, register
from sigill.organisation.people import Role, User
from sigill.organisation.selectors import has_role
from sigill.vault.models import Credential, VaultDeputy


def is_deputy(user: User) -> bool:
    cached: bool | None = getattr(user, "_sigill_vault_deputy", None)
    if cached is None:
        cached = VaultDeputy.objects.filter(user=user, revoked_at__isnull=True).exists()
        vars(user)["_sigill_vault_deputy"] = cached  # asked once per request
    return cached


def holds_the_vault(user: User) -> bool:
    return has_role(user, Role.COMMS) or is_deputy(user)


@register(Credential)
class CredentialPolicy(Policy[Credential]):
    def can_view(self, user: User, credential: Credential | None) -> bool:
        return holds_the_vault(user)

    def view_queryset(self, user: User, credentials: QuerySet[Credential]) -> QuerySet[Credential]:
        return credentials if holds_the_vault(user) else credentials.none()

    def can_deposit(self, user: User, credential: Credential | None) -> bool:
        return holds_the_vault(user)

    def can_change(self, user: User, credential: Credential | None) -> bool:
        return holds_the_vault(user)

    def can_reveal(self, user: User, credential: Credential | None) -> bool:
        return holds_the_vault(user)

    def can_export(self, user: User, credential: Credential | None) -> bool:
        return has_role(user, Role.COMMS)


@register(VaultDeputy)
class VaultDeputyPolicy(Policy[VaultDeputy]):
    def can_view(self, user: User, deputy: VaultDeputy | None) -> bool:
        return has_role(user, Role.COMMS)

    def view_queryset(self, user: User, deputies: QuerySet[VaultDeputy]) -> QuerySet[VaultDeputy]:
        return deputies if has_role(user, Role.COMMS) else deputies.none()

    def can_name(self, user: User, deputy: VaultDeputy | None) -> bool:
        return has_role(user, Role.COMMS)

    def can_revoke(self, user: User, deputy: VaultDeputy | None) -> bool:
        return has_role(user, Role.COMMS)
