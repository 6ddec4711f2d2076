"""TikTok: TikTok API for Business's own authorisation for TikTok accounts (the "TikTok account
holder" authorisation of the Accounts API), whose token the TikTok connector uses.

TikTok's Login Kit (open.tiktokapis.com) gives a token the Business API does not take, so the log-in
is API for Business's: the account holder approves the app on TikTok's authorisation page (the app's
"TikTok account holder authorization URL": ``www.tiktok.com/v2/auth/authorize/`` with the API for
Business app id as ``client_key``), comes back with ``code``, and Sigill exchanges it at
``business-api.tiktok.com/open_api/v1.3/tt_user/oauth2/token/`` and refreshes it at
``.../tt_user/oauth2/refresh_token/``. The account is the ``open_id`` of the token answer, which is
the ``business_id`` every Accounts API call (and the connector) names; ``business/get/`` tells its
username, which must be the registry's account.

The documented shapes followed (TikTok API for Business v1.3, "Authorization" for TikTok accounts,
and the python-tiktok SDK's ``BusinessAccountApi.generate_access_token`` /
``refresh_access_token`` with their recorded answers):

- token request: POST, JSON ``{client_id, client_secret, grant_type: "authorization_code",
  auth_code, redirect_uri}``; refresh: POST, JSON ``{client_id, client_secret,
  grant_type: "refresh_token", refresh_token}``;
- answer: HTTP 200 with ``{code, message, request_id, data}``, ``code`` 0 on success and ``data``
  ``{access_token, expires_in (a day), open_id, refresh_token, refresh_token_expires_in (a year),
  scope, token_type}``; a refusal is a non-zero ``code`` (often still HTTP 200) and no ``data``.

TikTok may hand out a new refresh token with each refresh; the new one is sealed at once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx2
from django.utils.translation import gettext as _

from sigill.oauth.providers.base import (
    LoginFailed,
    Provider,
    ProviderUnavailable,
    Reached,
    Tokens,
    handle_of,
    not_reached,
    tokens_of,
)
from sigill.registry.selectors import Account

AUTHORIZE = "https://www.tiktok.com/v2/auth/authorize/"
API = "https://business-api.tiktok.com/open_api/v1.3"
EXCHANGE = f"{API}/tt_user/oauth2/token/"
REFRESH = f"{API}/tt_user/oauth2/refresh_token/"
BUSINESS = f"{API}/business/get/"
# What the connector needs: the videos, their comments (hidden ones too) and hiding them.
SCOPES = ("user.info.basic", "user.info.username", "video.list", "comment.list", "comment.list.manage")
# TikTok's return codes for a rate limit (the Business API SDK's NumericErrorCodes).
RATE_CODES = {40100, 40132}


class TikTok(Provider):
    slug = "tiktok"
    label = "TikTok"
    # The API for Business app's id and secret (My Apps → the app → Basic information).
    id_setting = "TIKTOK_CLIENT_KEY"
    secret_setting = "TIKTOK_CLIENT_SECRET"  # noqa: S105 - the setting's name, not a secret
    # API for Business's authorisation takes no PKCE challenge.
    pkce = False
    portal = "https://business-api.tiktok.com/portal/apps"

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
        return self.envelope_tokens(
            http,
            EXCHANGE,
            {
                "client_id": self.client_id(),
                "client_secret": self.client_secret(),
                "grant_type": "authorization_code",
                "auth_code": code,
                "redirect_uri": redirect_uri,
            },
            lost=False,
        )

    def reach(self, http: httpx2.Client, *, tokens: Tokens, account: Account, known_id: str) -> Reached:
        business_id = tokens.user_id
        data = self.envelope(
            self.call(
                http,
                "GET",
                BUSINESS,
                params={"business_id": business_id, "fields": json.dumps(["username", "display_name"])},
                headers={"Access-Token": tokens.access_token},
            ),
            lost=False,
        )
        username = str(data.get("username", ""))
        matches = business_id == known_id if known_id else username.lower() == handle_of(account)
        if not matches or not business_id:
            raise not_reached(self.label, account, [f"@{username or '?'}"])
        return Reached(remote_id=business_id, name=str(data.get("display_name", "")), tokens=tokens)

    def refresh(
        self, http: httpx2.Client, *, access_token: str, refresh_token: str, api_base: str, remote_id: str
    ) -> Tokens:
        return self.envelope_tokens(
            http,
            REFRESH,
            {
                "client_id": self.client_id(),
                "client_secret": self.client_secret(),
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
            },
            lost=True,
        )

    # -- the {code, message, request_id, data} envelope

    def envelope_tokens(
        self, http: httpx2.Client, address: str, body: dict[str, str], *, lost: bool
    ) -> Tokens:
        data = self.envelope(self.call(http, "POST", address, json=body), lost=lost)
        try:
            return tokens_of(data)
        except ValueError as exc:
            raise self.refused("no access_token", lost=lost) from exc

    def envelope(self, response: httpx2.Response, *, lost: bool) -> dict[str, Any]:
        """``data`` of a successful answer; a non-zero ``code`` (or an HTTP error) is refused."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            body = {}
        code, data = body.get("code"), body.get("data")
        if response.status_code < 400 and code == 0 and isinstance(data, dict):
            return data
        if response.status_code == 429 or code in RATE_CODES:
            raise ProviderUnavailable(
                _("%(platform)s asks Sigill to wait (too many requests). Try again in a while.")
                % {"platform": self.label}
            )
        reason = f"{code} {body.get('message', '')}".strip()[:80] if isinstance(code, int) else ""
        raise self.refused(reason or f"HTTP {response.status_code}", lost=lost)

    def refused(self, reason: str, *, lost: bool) -> LoginFailed:
        if lost:
            return self.lost(reason)
        return LoginFailed(
            _("%(platform)s refused the log-in (%(reason)s). Check the app's settings and try again.")
            % {"platform": self.label, "reason": reason}
        )
