"""Reads of API tokens, narrowed to the person's own."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404

from sigill.api.models import ApiToken
from sigill.core.policies import policy_for
from sigill.organisation.people import User


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return (
        policy_for(ApiToken)
        .queryset(user, "view")
        .order_by(F("revoked_at").asc(nulls_first=True), "-created_at", "-id")
    )


def token_for(user: User, *, pk: int) -> ApiToken:
    return get_object_or_404(tokens_of(user), pk=pk)
