"""YouTube: Google's OAuth 2.0 for web server apps, with PKCE and an offline refresh token.

``access_type=offline`` and ``prompt=consent`` make Google hand out a refresh token every time;
the access token lasts an hour and the scheduler refreshes it a quarter of an hour before it
expires. A refresh token Google revokes (the person removed the access, changed the password, or
the project is in testing mode, where refresh tokens last seven days) loses the log-in. The
channel is the one the person's Google account owns (``channels?mine=true``); the connection is
its uploads playlist, as the YouTube connector reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx2

from sigill.oauth.providers.base import Provider, Reached, Tokens, handle_of, not_reached
from sigill.registry.selectors import Account

AUTHORIZE = "https://accounts.google.com/o/oauth2/v2/auth"
EXCHANGE = "https://oauth2.googleapis.com/token"
CHANNELS = "https://www.googleapis.com/youtube/v3/channels"
SCOPE = "https://www.googleapis.com/auth/youtube.force-ssl"


class YouTube(Provider):
    slug = "youtube"
    label = "YouTube"
    id_setting = "GOOGLE_CLIENT_ID"
    secret_setting = "GOOGLE_CLIENT_SECRET"  # noqa: S105 - the setting's name, not a secret
    portal = "https://console.cloud.google.com/apis/credentials"

    def authorize_url(
        self, *, redirect_uri: str, state: str, challenge: str, context: Mapping[str, Any]
    ) -> str:
        return self.query(
            AUTHORIZE,
            {
                "client_id": self.client_id(),
                "redirect_uri": redirect_uri,
                "response_type": "code",
                "scope": SCOPE,
                "access_type": "offline",
                "prompt": "consent",
                "include_granted_scopes": "true",
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
                "client_id": self.client_id(),
                "client_secret": self.client_secret(),
                "redirect_uri": redirect_uri,
                "grant_type": "authorization_code",
                "code_verifier": verifier,
            },
        )

    def reach(self, http: httpx2.Client, *, tokens: Tokens, account: Account, known_id: str) -> Reached:
        body = self.answer(
            self.call(
                http,
                "GET",
                CHANNELS,
                params={"part": "snippet,contentDetails", "mine": "true"},
                headers={"Authorization": f"Bearer {tokens.access_token}"},
            )
        )
        channels = [c for c in body.get("items", []) if isinstance(c, dict)]
        handle = handle_of(account)

        def uploads(channel: dict[str, Any]) -> str:
            return str(channel.get("contentDetails", {}).get("relatedPlaylists", {}).get("uploads", ""))

        chosen = [c for c in channels if known_id and known_id in (uploads(c), str(c.get("id")))] or [
            c
            for c in channels
            if str(c.get("snippet", {}).get("customUrl", "")).lstrip("@").lower() == handle
        ]
        if len(chosen) != 1 or not uploads(chosen[0]):
            raise not_reached(
                self.label, account, [str(c.get("snippet", {}).get("title", c.get("id"))) for c in channels]
            )
        return Reached(
            remote_id=uploads(chosen[0]), name=str(chosen[0]["snippet"].get("title", "")), tokens=tokens
        )

    def refresh(
        self, http: httpx2.Client, *, access_token: str, refresh_token: str, api_base: str, remote_id: str
    ) -> Tokens:
        return self.token_request(
            http,
            EXCHANGE,
            {
                "client_id": self.client_id(),
                "client_secret": self.client_secret(),
                "refresh_token": refresh_token,
                "grant_type": "refresh_token",
            },
            lost=True,
        )
