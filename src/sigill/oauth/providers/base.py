"""What every platform's log-in has in common: the provider interface, the tokens it hands back,
and what can go wrong, told to staff in Swedish (through gettext; the worker speaks Swedish).

A provider knows its platform's addresses and answers; it never stores anything. The flow
(``sigill.oauth.services``) keeps the state, seals the tokens and audits.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx2
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from sigill.registry.selectors import Account

TIMEOUT = httpx2.Timeout(30.0, connect=10.0)
USER_AGENT = "Sigill (archive of a Swedish municipality's official accounts)"


class LoginFailed(Exception):
    """The log-in could not be completed. ``message`` is for staff: translated, without a token."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class GrantLost(LoginFailed):
    """The platform no longer honours the log-in (refresh refused, token revoked): log in again."""


class ProviderUnavailable(LoginFailed):
    """The platform could not be reached or answered with a server error: try again later."""


@dataclass(frozen=True)
class Tokens:
    """What a token endpoint answered. Never printed: the tokens stay out of every repr."""

    access_token: str = field(repr=False)
    refresh_token: str = field(default="", repr=False)
    expires_in: int | None = None
    refresh_expires_in: int | None = None
    scopes: str = ""
    # The platform's id of whoever logged in, when the token answer names it (TikTok, Threads).
    user_id: str = ""

    def expires_at(self, now: dt.datetime) -> dt.datetime | None:
        return now + dt.timedelta(seconds=self.expires_in) if self.expires_in else None

    def refresh_expires_at(self, now: dt.datetime) -> dt.datetime | None:
        return now + dt.timedelta(seconds=self.refresh_expires_in) if self.refresh_expires_in else None


@dataclass(frozen=True)
class Reached:
    """The platform account the log-in reached, and the tokens to seal for it."""

    remote_id: str
    name: str
    tokens: Tokens
    api_base: str = ""


def new_state() -> str:
    return secrets.token_urlsafe(32)


def new_verifier() -> str:
    """A PKCE code verifier (RFC 7636: 43 to 128 unreserved characters)."""
    return secrets.token_urlsafe(64)


def challenge_of(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def client() -> httpx2.Client:
    return httpx2.Client(headers={"User-Agent": USER_AGENT}, timeout=TIMEOUT, follow_redirects=False)


class Provider:
    """One platform's log-in. Subclasses set the class attributes and implement the steps."""

    slug: ClassVar[str]
    label: ClassVar[str]
    # The settings that hold the platform app's id and secret ("" when the platform needs none).
    id_setting: ClassVar[str] = ""
    secret_setting: ClassVar[str] = ""
    # Whether the authorisation request carries a PKCE challenge (S256).
    pkce: ClassVar[bool] = True
    # How the log-in is kept alive: "refresh" (a refresh token before expiry), "reissue" (the
    # access token itself is exchanged for a new one before expiry: Threads), "check" (the token
    # does not expire; the scheduler asks the platform daily whether it still holds).
    renewal: ClassVar[str] = "refresh"
    # How comms logs in: "redirect" (the platform's log-in page), "instance" (the account's own
    # server first, then its log-in page), "app_password" (a form in Sigill).
    kind: ClassVar[str] = "redirect"
    # Where the platform's app is registered, for the set-up page.
    portal: ClassVar[str] = ""

    # -- configuration

    def client_id(self) -> str:
        return str(getattr(settings, self.id_setting, "")) if self.id_setting else ""

    def client_secret(self) -> str:
        return str(getattr(settings, self.secret_setting, "")) if self.secret_setting else ""

    def configured(self) -> bool:
        return not self.id_setting or bool(self.client_id() and self.client_secret())

    def at(self, address: str) -> str:
        """``address`` of the platform, or at the override named in ``OAUTH_ENDPOINTS``."""
        override = settings.OAUTH_ENDPOINTS.get(self.slug, "")
        if not override:
            return address
        parts, base = urlsplit(address), urlsplit(override)
        return urlunsplit((base.scheme, base.netloc, base.path.rstrip("/") + parts.path, parts.query, ""))

    def login_origin(self, account: Account) -> str:
        """Where the log-in form sends the browser (for the page's CSP ``form-action``)."""
        address = self.authorize_url(redirect_uri="", state="", challenge="", context={})
        parts = urlsplit(address)
        return f"{parts.scheme}://{parts.netloc}"

    # -- the steps

    def authorize_url(
        self, *, redirect_uri: str, state: str, challenge: str, context: Mapping[str, Any]
    ) -> str:
        raise NotImplementedError

    def exchange(
        self, http: httpx2.Client, *, code: str, verifier: str, redirect_uri: str, context: Mapping[str, Any]
    ) -> Tokens:
        raise NotImplementedError

    def reach(self, http: httpx2.Client, *, tokens: Tokens, account: Account, known_id: str) -> Reached:
        raise NotImplementedError

    def refresh(
        self, http: httpx2.Client, *, access_token: str, refresh_token: str, api_base: str, remote_id: str
    ) -> Tokens:
        """New tokens (renewal "refresh"), or the same ones confirmed (renewal "check")."""
        raise NotImplementedError

    # -- helpers for the subclasses

    def token_request(
        self,
        http: httpx2.Client,
        address: str,
        data: Mapping[str, str],
        *,
        basic: bool = False,
        lost: bool = False,
    ) -> Tokens:
        """An RFC 6749 token request (form body; the app's id and secret in the body, or as HTTP
        Basic when ``basic``), read into :class:`Tokens`."""
        auth = (self.client_id(), self.client_secret()) if basic else None
        body = self.answer(self.call(http, "POST", address, data=dict(data), auth=auth), lost=lost)
        return tokens_of(body)

    def query(self, address: str, params: Mapping[str, str]) -> str:
        return f"{self.at(address)}?{urlencode(params)}"

    def call(self, http: httpx2.Client, method: str, address: str, **kwargs: Any) -> httpx2.Response:
        """One request to the platform; a network failure is :class:`ProviderUnavailable`."""
        try:
            response = http.request(method, self.at(address), **kwargs)
        except httpx2.TransportError as exc:
            raise ProviderUnavailable(
                _("%(platform)s could not be reached (network error: %(error)s). Try again in a while.")
                % {"platform": self.label, "error": type(exc).__name__}
            ) from exc
        if response.status_code >= 500:
            raise ProviderUnavailable(
                _("%(platform)s answered with a server error (HTTP %(status)s). Try again in a while.")
                % {"platform": self.label, "status": response.status_code}
            )
        return response

    def answer(self, response: httpx2.Response, *, lost: bool = False) -> dict[str, Any]:
        """The JSON of a successful answer. An error answer is a :class:`GrantLost` when ``lost``
        (a refresh or check the platform refused), else a :class:`LoginFailed`."""
        try:
            body = response.json()
        except ValueError:
            body = None
        # TikTok answers a refused token request with HTTP 200 and an "error" word.
        refused = (
            isinstance(body, dict) and isinstance(body.get("error"), str) and not body.get("access_token")
        )
        if response.status_code < 400 and isinstance(body, dict) and not refused:
            return body
        reason = self.reason(body) if isinstance(body, dict) else ""
        if response.status_code == 429:
            raise ProviderUnavailable(
                _("%(platform)s asks Sigill to wait (too many requests). Try again in a while.")
                % {"platform": self.label}
            )
        if lost:
            raise self.lost(reason or f"HTTP {response.status_code}")
        raise LoginFailed(
            _("%(platform)s refused the log-in (%(reason)s). Check the app's settings and try again.")
            % {"platform": self.label, "reason": reason or f"HTTP {response.status_code}"}
        )

    def lost(self, reason: str) -> GrantLost:
        return GrantLost(
            _(
                "%(platform)s no longer accepts Sigill's log-in for this account (%(reason)s). "
                "Someone in comms who administers the account on %(platform)s must log in again."
            )
            % {"platform": self.label, "reason": reason}
        )

    def reason(self, body: dict[str, Any]) -> str:
        """The platform's own short word for what went wrong (its error code), never a token."""
        error = body.get("error")
        if isinstance(error, dict):  # Meta's envelope, Google's API errors
            return f"{error.get('type') or error.get('status') or 'error'} {error.get('code', '')}".strip()
        if isinstance(error, str):  # RFC 6749 (LinkedIn, Google, X, TikTok), Bluesky's XRPC
            return error[:80]
        return ""


def tokens_of(body: Mapping[str, Any]) -> Tokens:
    """The standard fields of a token answer (RFC 6749 §5.1, and the refresh token's lifetime
    LinkedIn and TikTok add)."""
    if not body.get("access_token"):
        raise ValueError("the token answer holds no access_token")
    return Tokens(
        access_token=str(body["access_token"]),
        refresh_token=str(body.get("refresh_token") or ""),
        expires_in=_seconds(body.get("expires_in")),
        refresh_expires_in=_seconds(body.get("refresh_token_expires_in") or body.get("refresh_expires_in")),
        scopes=str(body.get("scope") or ""),
        user_id=str(body.get("open_id") or body.get("user_id") or ""),
    )


def _seconds(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def not_reached(platform: str, account: Account, found: list[str]) -> LoginFailed:
    """The person logged in, but their platform user does not administer ``account``."""
    seen = ", ".join(found[:10]) or _("none")
    return LoginFailed(
        _(
            "The %(platform)s user you logged in with does not administer %(account)s (it administers: "
            "%(seen)s). Log in as one of the account's administrators."
        )
        % {"platform": platform, "account": account.display_name, "seen": seen}
    )


def handle_of(account: Account) -> str:
    """The account's handle as platforms write it: lower case, without a leading @."""
    return account.handle.strip().lstrip("@").lower()


def now() -> dt.datetime:
    return timezone.now()
