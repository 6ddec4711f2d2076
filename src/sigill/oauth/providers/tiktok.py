"""TikTok: Login Kit for the web (OAuth 2.0 v2), with refresh tokens.

TikTok names the app's id ``client_key``. The access token lasts a day and the refresh token a
year; TikTok may hand out a new refresh token with each refresh, which is sealed at once. The
account is the TikTok user who logged in (``open_id``, read with ``/v2/user/info/``), which must be
the registry's account. Sigill has no API connector for TikTok in this branch: the token is kept
in the vault for the connector, and the account is captured by export file and by hand until then.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx2

from sigill.oauth.providers.base import Provider, Reached, Tokens, handle_of, not_reached
from sigill.registry.selectors import Account

AUTHORIZE = "https://www.tiktok.com/v2/auth/authorize/"
EXCHANGE = "https://open.tiktokapis.com/v2/oauth/token/"
USER_INFO = "https://open.tiktokapis.com/v2/user/info/"
SCOPES = ("user.info.basic", "user.info.profile", "video.list")


class TikTok(Provider):
    slug = "tiktok"
    label = "TikTok"
    id_setting = "TIKTOK_CLIENT_KEY"
    secret_setting = "TIKTOK_CLIENT_SECRET"  # noqa: S105 - the setting's name, not a secret
    # TikTok's web log-in takes no PKCE challenge (its desktop and mobile log-ins do).
    pkce = False
    portal = "https://developers.tiktok.com/apps/"

    def authorize_url(
        self, *, redirect_uri: str, state: str, challenge: str, context: Mapping[str, Any]
    ) -> str:
        return self.query(
            AUTHORIZE,
            {
                "client_key": self.client_id(),
                "scope": ",".join(SCOPES),
                "response_type": "code",
                "redirect_uri": redirect_uri,
                "state": state,
            },
        )

    def exchange(
        self, http: httpx2.Client, *, code: str, verifier: str, redirect_uri: str, context: Mapping[str, Any]
    ) -> Tokens:
        return self.token_request(
            http,
            EXCHANGE,
            {
                "client_key": self.client_id(),
                "client_secret": self.client_secret(),
                "code": code,
                "grant_type": "authorization_code",
                "redirect_uri": redirect_uri,
            },
        )

    def reach(self, http: httpx2.Client, *, tokens: Tokens, account: Account, known_id: str) -> Reached:
        body = self.answer(
            self.call(
                http,
                "GET",
                USER_INFO,
                params={"fields": "open_id,union_id,display_name,username"},
                headers={"Authorization": f"Bearer {tokens.access_token}"},
            )
        )
        user = (body.get("data") or {}).get("user") or {}
        open_id = str(user.get("open_id") or tokens.user_id)
        matches = (
            open_id == known_id if known_id else str(user.get("username", "")).lower() == handle_of(account)
        )
        if not matches or not open_id:
            raise not_reached(self.label, account, [f"@{user.get('username', '?')}"])
        return Reached(remote_id=open_id, name=str(user.get("display_name", "")), tokens=tokens)

    def refresh(
        self, http: httpx2.Client, *, access_token: str, refresh_token: str, api_base: str, remote_id: str
    ) -> Tokens:
        return self.token_request(
            http,
            EXCHANGE,
            {
                "client_key": self.client_id(),
                "client_secret": self.client_secret(),
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
            },
            lost=True,
        )
