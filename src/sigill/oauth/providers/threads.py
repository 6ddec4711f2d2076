"""Threads: the Threads API's own log-in (a Meta app's Threads app id and secret).

The code becomes a short-lived token (an hour), exchanged at once for a long-lived one (60 days,
``grant_type=th_exchange_token``). Threads has no refresh token: the long-lived token itself is
refreshed (``grant_type=th_refresh_token``) while it is valid, which the scheduler does a week
before it expires. The account is the Threads user who logged in (``/me``), whose id the Threads
connector walks with the token kept in the vault.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx2

from sigill.oauth.providers.base import Provider, Reached, Tokens, handle_of, not_reached, tokens_of
from sigill.registry.selectors import Account

AUTHORIZE = "https://threads.net/oauth/authorize"
GRAPH = "https://graph.threads.net"
SCOPES = ("threads_basic", "threads_read_replies", "threads_manage_replies")


class Threads(Provider):
    slug = "threads"
    label = "Threads"
    id_setting = "THREADS_APP_ID"
    secret_setting = "THREADS_APP_SECRET"  # noqa: S105 - the setting's name, not a secret
    pkce = False
    renewal = "reissue"
    portal = "https://developers.facebook.com/apps/"

    def authorize_url(
        self, *, redirect_uri: str, state: str, challenge: str, context: Mapping[str, Any]
    ) -> str:
        return self.query(
            AUTHORIZE,
            {
                "client_id": self.client_id(),
                "redirect_uri": redirect_uri,
                "scope": ",".join(SCOPES),
                "response_type": "code",
                "state": state,
            },
        )

    def exchange(
        self, http: httpx2.Client, *, code: str, verifier: str, redirect_uri: str, context: Mapping[str, Any]
    ) -> Tokens:
        short = self.token_request(
            http,
            f"{GRAPH}/oauth/access_token",
            {
                "client_id": self.client_id(),
                "client_secret": self.client_secret(),
                "code": code,
                "grant_type": "authorization_code",
                "redirect_uri": redirect_uri,
            },
        )
        long = self.answer(
            self.call(
                http,
                "GET",
                f"{GRAPH}/access_token",
                params={
                    "grant_type": "th_exchange_token",
                    "client_secret": self.client_secret(),
                    "access_token": short.access_token,
                },
            )
        )
        return tokens_of({**long, "user_id": short.user_id})

    def reach(self, http: httpx2.Client, *, tokens: Tokens, account: Account, known_id: str) -> Reached:
        user = self.answer(
            self.call(
                http,
                "GET",
                f"{GRAPH}/v1.0/me",
                params={"fields": "id,username,name"},
                headers={"Authorization": f"Bearer {tokens.access_token}"},
            )
        )
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
        body = self.answer(
            self.call(
                http,
                "GET",
                f"{GRAPH}/refresh_access_token",
                params={"grant_type": "th_refresh_token", "access_token": access_token},
            ),
            lost=True,
        )
        return tokens_of(body)
