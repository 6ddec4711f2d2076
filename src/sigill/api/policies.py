"""Who may do what with API tokens: every signed-in person creates, sees and revokes their own."""

from __future__ import annotations

from django.db.models import QuerySet

from sigill.api.models import ApiToken
from sigill.core.policies import Policy, register
from sigill.organisation.people import User


@register(ApiToken)
class ApiTokenPolicy(Policy[ApiToken]):
    def can_create(self, user: User, token: ApiToken | None) -> bool:
        return True

    def can_view(self, user: User, token: ApiToken | None) -> bool:
        return token is None or token.user_id == user.pk

    def view_queryset(self, user: User, tokens: QuerySet[ApiToken]) -> QuerySet[ApiToken]:
        return tokens.filter(user=user)

    def can_revoke(self, user: User, token: ApiToken | None) -> bool:
        return token is not None and token.user_id == user.pk
