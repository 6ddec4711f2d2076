"""Who may see an account's capture state and who may manage it.

Whoever sees an account (registry policy) sees its connection, runs and coverage. Comms connects
accounts, reconnects them and starts a sync; comms and the account's editors import export files.
"""

from __future__ import annotations

from django.db.models import QuerySet

from sigill.connectors.models import Connection
from sigill.core.policies import Policy, policy_for, register
from sigill.organisation.people import Role, User
from sigill.organisation.selectors import has_role
from sigill.registry.models import Account


def visible_accounts(user: User) -> QuerySet[Account]:
    return policy_for(Account).queryset(user, "view")


def importable_accounts(user: User) -> QuerySet[Account]:
    """The accounts ``user`` may import an export into: comms all, editors their own."""
    return policy_for(Account).queryset(user, "edit_content")


@register(Connection)
class ConnectionPolicy(Policy[Connection]):
    def can_view(self, user: User, connection: Connection | None) -> bool:
        return policy_for(Account).can(user, "view", connection.account if connection else None)

    def view_queryset(self, user: User, connections: QuerySet[Connection]) -> QuerySet[Connection]:
        return connections.filter(account__in=visible_accounts(user))

    def can_manage(self, user: User, connection: Connection | None) -> bool:
        return has_role(user, Role.COMMS)

    def can_import(self, user: User, connection: Connection | None) -> bool:
        return importable_accounts(user).exists()


connection_policy = policy_for(Connection)
