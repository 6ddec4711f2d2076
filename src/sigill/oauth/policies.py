"""Who may connect an account with its platform's log-in, and see the log-ins.

Comms manages accounts and holds their login details (G4, G7): comms logs an account in with its
platform, and sees every account's log-in and the platform apps' set-up. Nobody else does.
"""

from __future__ import annotations

from django.db.models import QuerySet

from sigill.core.policies import Policy, policy_for, register
from sigill.oauth.models import Grant
from sigill.organisation.people import User
from sigill.organisation.selectors import Role, has_role


@register(Grant)
class GrantPolicy(Policy[Grant]):
    def can_view(self, user: User, grant: Grant | None) -> bool:
        return has_role(user, Role.COMMS)

    def view_queryset(self, user: User, grants: QuerySet[Grant]) -> QuerySet[Grant]:
        return grants if has_role(user, Role.COMMS) else grants.none()

    def can_connect(self, user: User, grant: Grant | None) -> bool:
        return has_role(user, Role.COMMS)


grant_policy = policy_for(Grant)
