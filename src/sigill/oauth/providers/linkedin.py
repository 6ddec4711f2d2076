"""LinkedIn organisation pages: LinkedIn's 3-legged OAuth, with refresh tokens.

LinkedIn takes PKCE only from native apps, so the web log-in is a plain authorisation code with
the state. The access token lasts 60 days and the refresh token a year (the answer says both);
the scheduler refreshes the access token before it expires, and once the refresh token is spent or
revoked comms must log in again. The organisations the person administers are read from
``/rest/organizationAcls`` with the API version of the setting ``LINKEDIN_API_VERSION``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx2
from django.conf import settings

from sigill.oauth.providers.base import Provider, Reached, Tokens, handle_of, not_reached
from sigill.registry.selectors import Account

AUTHORIZE = "https://www.linkedin.com/oauth/v2/authorization"
EXCHANGE = "https://www.linkedin.com/oauth/v2/accessToken"
API = "https://api.linkedin.com/rest"
SCOPES = ("r_organization_social", "w_organization_social", "rw_organization_admin")


class LinkedIn(Provider):
    slug = "linkedin"
    label = "LinkedIn"
    id_setting = "LINKEDIN_CLIENT_ID"
    secret_setting = "LINKEDIN_CLIENT_SECRET"  # noqa: S105 - the setting's name, not a secret
    pkce = False
    portal = "https://www.linkedin.com/developers/apps"

    def authorize_url(
        self, *, redirect_uri: str, state: str, challenge: str, context: Mapping[str, Any]
    ) -> str:
        return self.query(
            AUTHORIZE,
            {
                "response_type": "code",
                "client_id": self.client_id(),
                "redirect_uri": redirect_uri,
                "state": state,
                "scope": " ".join(SCOPES),
            },
        )

    def exchange(
        self, http: httpx2.Client, *, code: str, verifier: str, redirect_uri: str, context: Mapping[str, Any]
    ) -> Tokens:
        return self.token_request(
            http,
            EXCHANGE,
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "client_id": self.client_id(),
                "client_secret": self.client_secret(),
            },
        )

    def _get(
        self, http: httpx2.Client, path: str, token: str, params: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        headers = {
            "Authorization": f"Bearer {token}",
            "LinkedIn-Version": settings.LINKEDIN_API_VERSION,
            "X-Restli-Protocol-Version": "2.0.0",
        }
        return self.answer(self.call(http, "GET", f"{API}{path}", params=params, headers=headers))

    def reach(self, http: httpx2.Client, *, tokens: Tokens, account: Account, known_id: str) -> Reached:
        acls = self._get(
            http,
            "/organizationAcls",
            tokens.access_token,
            {"q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED"},
        )
        ids = [
            str(acl["organization"]).rsplit(":", 1)[-1]
            for acl in acls.get("elements", [])
            if acl.get("organization")
        ]
        known = known_id.rsplit(":", 1)[-1]
        organisations = [self._get(http, f"/organizations/{number}", tokens.access_token) for number in ids]
        handle = handle_of(account)
        chosen = [o for o in organisations if str(o.get("id")) == known] or [
            o for o in organisations if str(o.get("vanityName", "")).lower() == handle
        ]
        if len(chosen) != 1:
            raise not_reached(
                self.label, account, [str(o.get("localizedName", o.get("id"))) for o in organisations]
            )
        return Reached(
            remote_id=str(chosen[0]["id"]), name=str(chosen[0].get("localizedName", "")), tokens=tokens
        )

    def refresh(
        self, http: httpx2.Client, *, access_token: str, refresh_token: str, api_base: str, remote_id: str
    ) -> Tokens:
        return self.token_request(
            http,
            EXCHANGE,
            {
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
                "client_id": self.client_id(),
                "client_secret": self.client_secret(),
            },
            lost=True,
        )
