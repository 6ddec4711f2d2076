"""Bluesky: an app password, which comms creates in Bluesky's settings and gives Sigill once.

``com.atproto.server.createSession`` turns the handle and the app password into a session: an
access token (a JWT of about two hours) and a refresh token (about two months). The app password
itself is never kept. The scheduler renews the session (``refreshSession``, which spends the
refresh token and hands out a new one) before the access token expires; a refused refresh (the
app password was revoked, or the session lapsed) loses the log-in. Bluesky's OAuth (with DPoP and
pushed authorisation requests) is not implemented.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import httpx2
from django.utils import timezone

from sigill.oauth.providers.base import Provider, Reached, Tokens, handle_of, not_reached
from sigill.registry.selectors import Account

PDS = "https://bsky.social"


def seconds_left(jwt: str) -> int | None:
    """The seconds until the token's ``exp`` (read, not verified: Sigill only plans its refresh)."""
    try:
        payload = jwt.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        left = dt.datetime.fromtimestamp(int(claims["exp"]), tz=dt.UTC) - timezone.now()
    except (IndexError, KeyError, TypeError, ValueError):
        return None
    return max(int(left.total_seconds()), 0)


class Bluesky(Provider):
    slug = "bluesky"
    label = "Bluesky"
    kind = "app_password"
    pkce = False
    portal = "https://bsky.app/settings/app-passwords"

    def _session(self, body: Mapping[str, Any]) -> Tokens:
        access = str(body["accessJwt"])
        return Tokens(
            access_token=access, refresh_token=str(body["refreshJwt"]), expires_in=seconds_left(access)
        )

    def log_in(self, http: httpx2.Client, *, account: Account, app_password: str, known_id: str) -> Reached:
        identifier = known_id or handle_of(account)
        body = self.answer(
            self.call(
                http,
                "POST",
                f"{PDS}/xrpc/com.atproto.server.createSession",
                json={"identifier": identifier, "password": app_password},
            )
        )
        same = (
            str(body.get("did")) == known_id
            if known_id
            else str(body.get("handle", "")).lower() == handle_of(account)
        )
        if not same:
            raise not_reached(self.label, account, [f"@{body.get('handle', '?')}"])
        services = (body.get("didDoc") or {}).get("service") or []
        pds = next((str(s.get("serviceEndpoint")) for s in services if s.get("id") == "#atproto_pds"), PDS)
        return Reached(
            remote_id=str(body["did"]),
            name=str(body.get("handle", "")),
            tokens=self._session(body),
            api_base=pds,
        )

    def refresh(
        self, http: httpx2.Client, *, access_token: str, refresh_token: str, api_base: str, remote_id: str
    ) -> Tokens:
        body = self.answer(
            self.call(
                http,
                "POST",
                f"{api_base or PDS}/xrpc/com.atproto.server.refreshSession",
                headers={"Authorization": f"Bearer {refresh_token}"},
            ),
            lost=True,
        )
        return self._session(body)
