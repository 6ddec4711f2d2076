"""Mastodon: Sigill registers itself as an app on the account's own server (``POST
/api/v1/apps``, once per server), then the person logs in there (authorisation code with PKCE,
which Mastodon takes since 4.3; an older server ignores it).

Mastodon's tokens do not expire and it has no refresh token: the scheduler asks the server daily
(``verify_credentials``) whether the token still holds; a revoked one loses the log-in. The server
is the host of the account's profile address; the account is the one the person logged in as,
which must be the registry's account (its profile address).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx2

from sigill.oauth.providers.base import Provider, Reached, Tokens, not_reached, tokens_of
from sigill.registry.selectors import Account

SCOPES = ("read", "write:reports", "write:blocks", "write:mutes")


def instance_of(account: Account) -> str:
    """The account's server, from its profile address (https://social.example/@name)."""
    host = urlsplit(account.profile_url).netloc.lower()
    return f"https://{host}"


class Mastodon(Provider):
    slug = "mastodon"
    label = "Mastodon"
    kind = "instance"
    renewal = "check"

    def register(
        self, http: httpx2.Client, *, instance: str, redirect_uri: str, website: str
    ) -> tuple[str, str]:
        """Register Sigill on ``instance``; returns the client id and secret."""
        body = self.answer(
            self.call(
                http,
                "POST",
                f"{instance}/api/v1/apps",
                json={
                    "client_name": "Sigill",
                    "redirect_uris": redirect_uri,
                    "scopes": " ".join(SCOPES),
                    "website": website,
                },
            )
        )
        return str(body["client_id"]), str(body["client_secret"])

    def authorize_url(
        self, *, redirect_uri: str, state: str, challenge: str, context: Mapping[str, Any]
    ) -> str:
        return self.query(
            f"{context['instance']}/oauth/authorize",
            {
                "response_type": "code",
                "client_id": str(context["client_id"]),
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
        body = self.answer(
            self.call(
                http,
                "POST",
                f"{context['instance']}/oauth/token",
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "client_id": str(context["client_id"]),
                    "client_secret": str(context["client_secret"]),
                    "redirect_uri": redirect_uri,
                    "scope": " ".join(SCOPES),
                    "code_verifier": verifier,
                },
            )
        )
        return tokens_of(body)

    def _me(self, http: httpx2.Client, instance: str, token: str, *, lost: bool = False) -> dict[str, Any]:
        return self.answer(
            self.call(
                http,
                "GET",
                f"{instance}/api/v1/accounts/verify_credentials",
                headers={"Authorization": f"Bearer {token}"},
            ),
            lost=lost,
        )

    def reach(self, http: httpx2.Client, *, tokens: Tokens, account: Account, known_id: str) -> Reached:
        instance = instance_of(account)
        me = self._me(http, instance, tokens.access_token)
        same = (
            str(me.get("id")) == known_id
            if known_id
            else (str(me.get("url", "")).rstrip("/").lower() == account.profile_url.rstrip("/").lower())
        )
        if not same:
            raise not_reached(self.label, account, [f"@{me.get('acct', '?')}"])
        return Reached(
            remote_id=str(me["id"]), name=str(me.get("display_name", "")), tokens=tokens, api_base=instance
        )

    def refresh(
        self, http: httpx2.Client, *, access_token: str, refresh_token: str, api_base: str, remote_id: str
    ) -> Tokens:
        self._me(http, api_base, access_token, lost=True)
        return Tokens(access_token=access_token)
