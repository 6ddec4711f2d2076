"""X: OAuth 2.0 authorisation code with PKCE, as a confidential client (HTTP Basic with the
app's id and secret), and ``offline.access`` for a refresh token.

The access token lasts two hours; the scheduler refreshes it half an hour before. X rotates refresh
tokens: each refresh spends the old one and hands out a new one, which is sealed at once (a refresh
token used twice is refused, so refreshes are claimed one at a time). The account is the X user
who logged in (``/2/users/me``), which must be the registry's account.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx2

from sigill.oauth.providers.base import Provider, Reached, Tokens, handle_of, not_reached
from sigill.registry.selectors import Account

AUTHORIZE = "https://x.com/i/oauth2/authorize"
EXCHANGE = "https://api.x.com/2/oauth2/token"
ME = "https://api.x.com/2/users/me"
SCOPES = ("tweet.read", "users.read", "tweet.moderate.write", "offline.access")


class X(Provider):
    slug = "x"
    label = "X"
    id_setting = "X_CLIENT_ID"
    secret_setting = "X_CLIENT_SECRET"  # noqa: S105 - the setting's name, not a secret
    portal = "https://developer.x.com/en/portal/dashboard"

    def authorize_url(
        self, *, redirect_uri: str, state: str, challenge: str, context: Mapping[str, Any]
    ) -> str:
        return self.query(
            AUTHORIZE,
            {
                "response_type": "code",
                "client_id": self.client_id(),
                "redirect_uri": redirect_uri,
                "scope": " ".join(SCOPES),
                "state": state,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            },
        )

    def exchange(
        self, http: httpx2.Client, *, code: str, verifier: str, redirect_uri: str, context: Mapping[str, Any]
    ) -> Tokens:
        return self.token_request(
            http,
            EXCHANGE,
            {
                "code": code,
                "grant_type": "authorization_code",
                "redirect_uri": redirect_uri,
                "code_verifier": verifier,
            },
            basic=True,
        )

    def reach(self, http: httpx2.Client, *, tokens: Tokens, account: Account, known_id: str) -> Reached:
        body = self.answer(
            self.call(http, "GET", ME, headers={"Authorization": f"Bearer {tokens.access_token}"})
        )
        user = body.get("data") or {}
        matches = (
            str(user.get("id")) == known_id
            if known_id
            else str(user.get("username", "")).lower() == handle_of(account)
        )
        if not matches:
            raise not_reached(self.label, account, [f"@{user.get('username', '?')}"])
        return Reached(remote_id=str(user["id"]), name=str(user.get("name", "")), tokens=tokens)

    def refresh(
        self, http: httpx2.Client, *, access_token: str, refresh_token: str, api_base: str, remote_id: str
    ) -> Tokens:
        return self.token_request(
            http,
            EXCHANGE,
            {"grant_type": "refresh_token", "refresh_token": refresh_token},
            basic=True,
            lost=True,
        )
