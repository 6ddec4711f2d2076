"""Facebook Pages and Instagram professional accounts: Facebook Login for Business.

The person logs in with Facebook (authorisation code with PKCE), the code becomes a short-lived
user token, which is exchanged for a long-lived one (``grant_type=fb_exchange_token``). The
Pages the person administers are read from ``/me/accounts``, and the one the account is (by its
id, once connected, else by its handle) is chosen, never another: a Page's access token obtained with a
long-lived user token does not expire, so the Page's (or, for Instagram, its linked professional
account's) token is what the vault keeps, and the scheduler checks daily with ``/debug_token``
that Facebook still honours it (a changed password, a removed admin or revoked app end it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import httpx2

from sigill.oauth.providers.base import (
    Provider,
    Reached,
    Tokens,
    handle_of,
    not_reached,
)
from sigill.registry.selectors import Account

GRAPH = "https://graph.facebook.com/v21.0"
DIALOG = "https://www.facebook.com/v21.0/dialog/oauth"
PAGE_FIELDS = "id,name,username,access_token,instagram_business_account{id,username}"


class MetaPages(Provider):
    id_setting = "META_APP_ID"
    secret_setting = "META_APP_SECRET"  # noqa: S105 - the setting's name, not a secret
    renewal = "check"
    portal = "https://developers.facebook.com/apps/"
    scopes: ClassVar[tuple[str, ...]] = ()

    def authorize_url(
        self, *, redirect_uri: str, state: str, challenge: str, context: Mapping[str, Any]
    ) -> str:
        return self.query(
            DIALOG,
            {
                "client_id": self.client_id(),
                "redirect_uri": redirect_uri,
                "state": state,
                "response_type": "code",
                "scope": ",".join(self.scopes),
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            },
        )

    def exchange(
        self, http: httpx2.Client, *, code: str, verifier: str, redirect_uri: str, context: Mapping[str, Any]
    ) -> Tokens:
        short = self.answer(
            self.call(
                http,
                "GET",
                f"{GRAPH}/oauth/access_token",
                params={
                    "client_id": self.client_id(),
                    "client_secret": self.client_secret(),
                    "redirect_uri": redirect_uri,
                    "code": code,
                    "code_verifier": verifier,
                },
            )
        )
        long = self.answer(
            self.call(
                http,
                "GET",
                f"{GRAPH}/oauth/access_token",
                params={
                    "grant_type": "fb_exchange_token",
                    "client_id": self.client_id(),
                    "client_secret": self.client_secret(),
                    "fb_exchange_token": str(short["access_token"]),
                },
            )
        )
        return Tokens(access_token=str(long["access_token"]), expires_in=_int(long.get("expires_in")))

    def pages(self, http: httpx2.Client, tokens: Tokens) -> list[dict[str, Any]]:
        body = self.answer(
            self.call(
                http,
                "GET",
                f"{GRAPH}/me/accounts",
                params={"fields": PAGE_FIELDS, "limit": "100"},
                headers={"Authorization": f"Bearer {tokens.access_token}"},
            )
        )
        return [page for page in body.get("data", []) if isinstance(page, dict) and page.get("access_token")]

    def refresh(
        self, http: httpx2.Client, *, access_token: str, refresh_token: str, api_base: str, remote_id: str
    ) -> Tokens:
        """Ask Facebook whether the Page token still holds (``/debug_token`` with the app's token)."""
        app_token = f"{self.client_id()}|{self.client_secret()}"
        body = self.answer(
            self.call(
                http,
                "GET",
                f"{GRAPH}/debug_token",
                params={"input_token": access_token},
                headers={"Authorization": f"Bearer {app_token}"},
            ),
            lost=True,
        )
        data = body.get("data") or {}
        if not data.get("is_valid"):
            error = data.get("error") or {}
            raise self.lost(f"OAuthException {error.get('code', 190)}")
        return Tokens(access_token=access_token)


class Facebook(MetaPages):
    slug = "facebook"
    label = "Facebook"
    scopes = (
        "pages_show_list",
        "pages_read_engagement",
        "pages_read_user_content",
        "pages_manage_engagement",
        "pages_manage_metadata",
        "business_management",
    )

    def reach(self, http: httpx2.Client, *, tokens: Tokens, account: Account, known_id: str) -> Reached:
        pages = self.pages(http, tokens)
        handle = handle_of(account)
        chosen = _one(
            [p for p in pages if str(p["id"]) == known_id]
            or [p for p in pages if handle in (str(p.get("username", "")).lower(), str(p["id"]))]
        )
        if chosen is None:
            raise not_reached(self.label, account, [str(p.get("name", p["id"])) for p in pages])
        return Reached(
            remote_id=str(chosen["id"]),
            name=str(chosen.get("name", "")),
            tokens=Tokens(access_token=str(chosen["access_token"]), scopes=",".join(self.scopes)),
        )


class Instagram(MetaPages):
    slug = "instagram"
    label = "Instagram"
    scopes = (
        "instagram_basic",
        "instagram_manage_comments",
        "pages_show_list",
        "pages_read_engagement",
        "business_management",
    )

    def reach(self, http: httpx2.Client, *, tokens: Tokens, account: Account, known_id: str) -> Reached:
        linked = [
            p for p in self.pages(http, tokens) if isinstance(p.get("instagram_business_account"), dict)
        ]
        handle = handle_of(account)
        chosen = _one(
            [p for p in linked if str(p["instagram_business_account"]["id"]) == known_id]
            or [
                p
                for p in linked
                if str(p["instagram_business_account"].get("username", "")).lower() == handle
            ]
        )
        if chosen is None:
            seen = [str(p["instagram_business_account"].get("username", "")) for p in linked]
            raise not_reached(self.label, account, seen)
        professional = chosen["instagram_business_account"]
        return Reached(
            remote_id=str(professional["id"]),
            name=str(professional.get("username", "")),
            tokens=Tokens(access_token=str(chosen["access_token"]), scopes=",".join(self.scopes)),
        )


def _one(candidates: list[dict[str, Any]]) -> dict[str, Any] | None:
    return candidates[0] if len(candidates) == 1 else None


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
