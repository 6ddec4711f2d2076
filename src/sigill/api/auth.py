"""Bearer authentication with personal API tokens, and the write scope."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from sigill.api import services
from sigill.api.models import ApiToken
from sigill.api.problems import ScopeRefused


class TokenAuth(HttpBearer):
    """``Authorization: Bearer sgl_…``; the request then acts as the token's owner, with their roles
    as they are now (a role taken away is taken away from the token too)."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = services.authenticate(token, request=request)
        request.user = found.user
        return found


def user_of(request: HttpRequest) -> Any:
    return request.auth.user  # type: ignore[attr-defined]


def require_write(request: HttpRequest) -> Any:
    """The token's owner, if the token may write; ScopeRefused (403) if it may only read."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    if not token.may_write:
        raise ScopeRefused
    return token.user
