"""A local fake authorisation server: a real HTTP server in the test process that plays each
platform's log-in, token and account endpoints, answering in the shapes the platforms document.

It checks what the real ones check: the app's id and secret, that the redirect address is the one
registered, that a code is used once, by the app it was given to, with the same redirect address,
and (PKCE) that the code verifier hashes to the challenge the log-in began with. A log-in is
consented at once (no page to click through): the authorise endpoint answers with the redirect
back to Sigill, carrying the code and the state, or the platform's ``error`` when ``deny`` is set.

Tokens it mints are random and recorded, so a test can ask which token the vault must now hold,
revoke one (``revoke``) and see the refresh or the check refused in the platform's shape.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

APP_ID = "4711000000000042"
APP_SECRET = "fake-app-secret-not-real"
PAGE_ID = "104857392615487"
IG_USER_ID = "17841400000000042"

Answer = tuple[int, dict[str, str], Any]


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


@dataclass
class Code:
    platform: str
    client_id: str
    redirect_uri: str
    challenge: str
    used: bool = False


@dataclass
class FakePlatforms:
    """The state of the fake: what was asked, what was minted, what is revoked."""

    base: str = ""
    registered_redirects: set[str] = field(default_factory=set)
    codes: dict[str, Code] = field(default_factory=dict)
    # token -> (platform, kind): kind is "user", "page", "access" or "refresh"
    tokens: dict[str, tuple[str, str]] = field(default_factory=dict)
    revoked: set[str] = field(default_factory=set)
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    # The Pages the person who logs in administers (Facebook and Instagram).
    pages: list[dict[str, Any]] = field(default_factory=list)
    deny: bool = False
    # How many times an app was registered on the Mastodon server.
    registrations: int = 0
    # The LinkedIn-Version header of each LinkedIn API call.
    versions: list[str] = field(default_factory=list)
    down: bool = False

    def mint(self, platform: str, kind: str, prefix: str) -> str:
        token = f"{prefix}{secrets.token_urlsafe(24)}"
        self.tokens[token] = (platform, kind)
        return token

    def minted(self, platform: str, kind: str) -> list[str]:
        return [t for t, (p, k) in self.tokens.items() if p == platform and k == kind]

    def revoke_all(self, platform: str) -> None:
        self.revoked |= {t for t, (p, _k) in self.tokens.items() if p == platform}

    def paths(self) -> list[str]:
        return [path for _method, path, _params in self.requests]

    # -- the shared steps

    def authorize(self, platform: str, params: dict[str, str], *, client_param: str = "client_id") -> Answer:
        redirect = params.get("redirect_uri", "")
        if params.get(client_param) != APP_ID or redirect not in self.registered_redirects:
            return 400, {}, {"error": "invalid_request", "error_description": "unknown app or redirect"}
        if params.get("response_type") != "code" or not params.get("state"):
            return 400, {}, {"error": "invalid_request"}
        if self.deny:
            query = {"error": "access_denied", "error_reason": "user_denied", "state": params["state"]}
            return 302, {"Location": f"{redirect}?{urlencode(query)}"}, None
        code = secrets.token_urlsafe(16)
        self.codes[code] = Code(platform, params[client_param], redirect, params.get("code_challenge", ""))
        return 302, {"Location": f"{redirect}?{urlencode({'code': code, 'state': params['state']})}"}, None

    def redeem(self, platform: str, params: dict[str, str], *, client_param: str = "client_id") -> str | None:
        """The error word when the code may not be exchanged, else None (and the code is spent)."""
        code = self.codes.get(params.get("code", ""))
        if params.get(client_param) != APP_ID or params.get("client_secret") != APP_SECRET:
            return "invalid_client"
        if code is None or code.used or code.platform != platform:
            return "invalid_grant"
        if params.get("redirect_uri") != code.redirect_uri:
            return "invalid_grant"
        if code.challenge and s256(params.get("code_verifier", "")) != code.challenge:
            return "invalid_grant"
        code.used = True
        return None

    def bearer(self, headers: Any) -> str:
        value = headers.get("Authorization", "")
        return value.removeprefix("Bearer ").strip()

    def valid(self, token: str, platform: str) -> bool:
        return token in self.tokens and token not in self.revoked and self.tokens[token][0] == platform


def meta_error(message: str, code: int, subcode: int | None = None, status: int = 400) -> Answer:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AbCdEf123",
    }
    if subcode:
        error["error_subcode"] = subcode
    return status, {}, {"error": error}


# -- Facebook and Instagram (Facebook Login for Business, Graph API v21.0)


def facebook_routes(fake: FakePlatforms) -> dict[tuple[str, str], Callable[[dict[str, str], Any], Answer]]:
    def dialog(params: dict[str, str], headers: Any) -> Answer:
        if not params.get("code_challenge") or params.get("code_challenge_method") != "S256":
            return 400, {}, {"error": "invalid_request"}
        return fake.authorize("meta", params)

    def access_token(params: dict[str, str], headers: Any) -> Answer:
        if params.get("grant_type") == "fb_exchange_token":
            if params.get("client_id") != APP_ID or params.get("client_secret") != APP_SECRET:
                return meta_error("Error validating client secret.", 1)
            if not fake.valid(params.get("fb_exchange_token", ""), "meta"):
                return meta_error("Error validating access token: Session has expired.", 190, 463)
            token = fake.mint("meta", "user", "EAAlong")
            return 200, {}, {"access_token": token, "token_type": "bearer", "expires_in": 5183944}
        error = fake.redeem("meta", params)
        if error == "invalid_client":
            return meta_error("Error validating client secret.", 1)
        if error:
            return meta_error("Invalid verification code format.", 100, 36007)
        token = fake.mint("meta", "short", "EAAshort")
        return 200, {}, {"access_token": token, "token_type": "bearer", "expires_in": 5183}

    def me_accounts(params: dict[str, str], headers: Any) -> Answer:
        token = fake.bearer(headers)
        if not fake.valid(token, "meta") or fake.tokens[token][1] != "user":
            return meta_error("Error validating access token.", 190, 460, status=401)
        data = []
        for page in fake.pages:
            page_token = fake.mint("meta", "page", "EAApage")
            data.append(
                {
                    **page,
                    "access_token": page_token,
                    "tasks": ["ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MESSAGING", "MODERATE", "MANAGE"],
                }
            )
        return 200, {}, {"data": data, "paging": {"cursors": {"before": "QVFIUmx1", "after": "QVFIUmx2"}}}

    def debug_token(params: dict[str, str], headers: Any) -> Answer:
        if fake.bearer(headers) != f"{APP_ID}|{APP_SECRET}":
            return meta_error("Invalid OAuth access token - Cannot parse access token", 190)
        token = params.get("input_token", "")
        if not fake.valid(token, "meta"):
            return (
                200,
                {},
                {
                    "data": {
                        "app_id": APP_ID,
                        "type": "PAGE",
                        "application": "Sigill",
                        "error": {
                            "code": 190,
                            "message": "Error validating access token: The user has not authorized application.",
                            "subcode": 458,
                        },
                        "is_valid": False,
                        "scopes": [],
                    }
                },
            )
        return (
            200,
            {},
            {
                "data": {
                    "app_id": APP_ID,
                    "type": "PAGE",
                    "application": "Sigill",
                    "data_access_expires_at": 1796000000,
                    "expires_at": 0,
                    "is_valid": True,
                    "profile_id": PAGE_ID,
                    "scopes": ["pages_show_list", "pages_read_engagement", "pages_manage_engagement"],
                }
            },
        )

    return {
        ("GET", "/v21.0/dialog/oauth"): dialog,
        ("GET", "/v21.0/oauth/access_token"): access_token,
        ("GET", "/v21.0/me/accounts"): me_accounts,
        ("GET", "/v21.0/debug_token"): debug_token,
    }


def vara_pages() -> list[dict[str, Any]]:
    """The Pages Alice administers: Vara kommun (with its Instagram account) and the library."""
    return [
        {
            "id": PAGE_ID,
            "name": "Vara kommun",
            "username": "varakommun",
            "category": "Government organization",
            "instagram_business_account": {"id": IG_USER_ID, "username": "varakommun"},
        },
        {
            "id": "100200300400500",
            "name": "Vara bibliotek",
            "username": "varabibliotek",
            "category": "Library",
        },
    ]


# -- the RFC 6749 token endpoint most platforms share, with their own error shapes


def rfc_token(
    fake: FakePlatforms,
    platform: str,
    params: dict[str, str],
    headers: Any,
    *,
    prefix: str,
    lifetime: int,
    refresh_lifetime: int | None = None,
    rotate: bool = True,
    basic: bool = False,
    client_param: str = "client_id",
    extra: dict[str, Any] | None = None,
) -> Answer:
    """The token endpoint: a code (``grant_type=authorization_code``) or a refresh token
    (``grant_type=refresh_token``) for new tokens. ``rotate``: a refresh hands out a new refresh
    token and spends the old one (X, TikTok); else the same one stays (LinkedIn, Google)."""
    if basic:
        expected = "Basic " + base64.b64encode(f"{APP_ID}:{APP_SECRET}".encode()).decode()
        if headers.get("Authorization") != expected:
            return 401, {}, {"error": "invalid_client", "error_description": "Client authentication failed"}
        params = {**params, client_param: APP_ID, "client_secret": APP_SECRET}
    if params.get("grant_type") == "refresh_token":
        if params.get(client_param) != APP_ID or params.get("client_secret") != APP_SECRET:
            return 401, {}, {"error": "invalid_client", "error_description": "Client authentication failed"}
        old = params.get("refresh_token", "")
        if not fake.valid(old, platform) or fake.tokens[old][1] != "refresh":
            return (
                400,
                {},
                {
                    "error": "invalid_grant",
                    "error_description": "The provided authorization grant or refresh token is invalid, expired or revoked.",
                },
            )
        if rotate:
            fake.revoked.add(old)
        refresh = fake.mint(platform, "refresh", f"{prefix}R") if rotate else old
    else:
        error = fake.redeem(platform, params, client_param=client_param)
        if error:
            status = 401 if error == "invalid_client" else 400
            return (
                status,
                {},
                {"error": error, "error_description": "The authorization code is invalid or expired."},
            )
        refresh = fake.mint(platform, "refresh", f"{prefix}R")
    answer: dict[str, Any] = {
        "access_token": fake.mint(platform, "access", prefix),
        "token_type": "Bearer",
        "expires_in": lifetime,
        "refresh_token": refresh,
        "scope": params.get("scope", "granted"),
        **(extra or {}),
    }
    if refresh_lifetime:
        answer["refresh_token_expires_in"] = refresh_lifetime
    return 200, {}, answer


def authorised(fake: FakePlatforms, platform: str, headers: Any) -> bool:
    token = fake.bearer(headers)
    return fake.valid(token, platform) and fake.tokens[token][1] == "access"


# -- LinkedIn (3-legged OAuth, Community Management API)

ORGANISATION_ID = "2414183"


def linkedin_routes(fake: FakePlatforms) -> dict[tuple[str, str], Callable[[dict[str, str], Any], Answer]]:
    def refused() -> Answer:
        return (
            401,
            {},
            {
                "status": 401,
                "serviceErrorCode": 65600,
                "code": "INVALID_ACCESS_TOKEN",
                "message": "Invalid access token",
            },
        )

    def token(params: dict[str, str], headers: Any) -> Answer:
        return rfc_token(
            fake,
            "linkedin",
            params,
            headers,
            prefix="AQV",
            lifetime=5184000,
            refresh_lifetime=31536000,
            rotate=False,
        )

    def acls(params: dict[str, str], headers: Any) -> Answer:
        fake.versions.append(headers.get("LinkedIn-Version", ""))
        if not authorised(fake, "linkedin", headers):
            return refused()
        if params != {"q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED"}:
            return 400, {}, {"status": 400, "message": "Invalid query parameters"}
        return (
            200,
            {},
            {
                "paging": {"count": 10, "start": 0, "links": []},
                "elements": [
                    {
                        "roleAssignee": "urn:li:person:Xa1b2C3",
                        "state": "APPROVED",
                        "role": "ADMINISTRATOR",
                        "organization": f"urn:li:organization:{ORGANISATION_ID}",
                    },
                ],
            },
        )

    def organisation(params: dict[str, str], headers: Any) -> Answer:
        if not authorised(fake, "linkedin", headers):
            return refused()
        return (
            200,
            {},
            {
                "id": int(ORGANISATION_ID),
                "vanityName": "vara-kommun",
                "localizedName": "Vara kommun",
                "localizedWebsite": "https://www.vara.se",
            },
        )

    return {
        ("GET", "/oauth/v2/authorization"): lambda params, headers: fake.authorize("linkedin", params),
        ("POST", "/oauth/v2/accessToken"): token,
        ("GET", "/rest/organizationAcls"): acls,
        ("GET", f"/rest/organizations/{ORGANISATION_ID}"): organisation,
    }


# -- YouTube (Google OAuth 2.0, YouTube Data API v3)

CHANNEL_ID = "UCq3mK2v9Yx0VaraKommun01"
UPLOADS_ID = "UUq3mK2v9Yx0VaraKommun01"


def google_routes(fake: FakePlatforms) -> dict[tuple[str, str], Callable[[dict[str, str], Any], Answer]]:
    def auth(params: dict[str, str], headers: Any) -> Answer:
        if params.get("access_type") != "offline" or params.get("code_challenge_method") != "S256":
            return 400, {}, {"error": "invalid_request"}
        return fake.authorize("youtube", params)

    def token(params: dict[str, str], headers: Any) -> Answer:
        status, extra, body = rfc_token(
            fake, "youtube", params, headers, prefix="ya29.", lifetime=3599, rotate=False
        )
        if status == 200 and params.get("grant_type") == "refresh_token":
            body.pop("refresh_token")  # Google keeps the refresh token it gave
        return status, extra, body

    def channels(params: dict[str, str], headers: Any) -> Answer:
        if not authorised(fake, "youtube", headers):
            return (
                401,
                {},
                {
                    "error": {
                        "code": 401,
                        "message": "Request had invalid authentication credentials.",
                        "status": "UNAUTHENTICATED",
                    }
                },
            )
        return (
            200,
            {},
            {
                "kind": "youtube#channelListResponse",
                "etag": "x1Y2z3",
                "pageInfo": {"totalResults": 1, "resultsPerPage": 5},
                "items": [
                    {
                        "kind": "youtube#channel",
                        "etag": "a4B5c6",
                        "id": CHANNEL_ID,
                        "snippet": {
                            "title": "Vara kommun",
                            "description": "",
                            "customUrl": "@varakommun",
                            "publishedAt": "2014-03-02T09:00:00Z",
                        },
                        "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": UPLOADS_ID}},
                    }
                ],
            },
        )

    return {
        ("GET", "/o/oauth2/v2/auth"): auth,
        ("POST", "/token"): token,
        ("GET", "/youtube/v3/channels"): channels,
    }


# -- X (OAuth 2.0 with PKCE, confidential client)

X_USER_ID = "1549327645874118656"


def x_routes(fake: FakePlatforms) -> dict[tuple[str, str], Callable[[dict[str, str], Any], Answer]]:
    def authorize(params: dict[str, str], headers: Any) -> Answer:
        if (
            params.get("code_challenge_method") != "S256"
            or "offline.access" not in params.get("scope", "").split()
        ):
            return 400, {}, {"error": "invalid_request"}
        return fake.authorize("x", params)

    def token(params: dict[str, str], headers: Any) -> Answer:
        status, extra, body = rfc_token(fake, "x", params, headers, prefix="X0", lifetime=7200, basic=True)
        if status == 400:
            body = {
                "error": "invalid_request",
                "error_description": "Value passed for the token was invalid.",
            }
        return status, extra, body

    def me(params: dict[str, str], headers: Any) -> Answer:
        if not authorised(fake, "x", headers):
            return (
                401,
                {},
                {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"},
            )
        return 200, {}, {"data": {"id": X_USER_ID, "name": "Vara kommun", "username": "VaraKommun"}}

    return {
        ("GET", "/i/oauth2/authorize"): authorize,
        ("POST", "/2/oauth2/token"): token,
        ("GET", "/2/users/me"): me,
    }


# -- TikTok (TikTok API for Business: the TikTok account holder's authorisation, Accounts API)

TIKTOK_OPEN_ID = "-000OqjXpUKl2sHnCFFVYKh1V6nzaMhhNZ9m"
TIKTOK_API = "/open_api/v1.3"


def tiktok_envelope(data: dict[str, Any] | None = None, *, code: int = 0, message: str = "OK") -> Answer:
    """API for Business answers ``{code, message, request_id, data}``, with HTTP 200 even when it
    refuses (a non-zero ``code``)."""
    return (
        200,
        {},
        {"code": code, "message": message, "request_id": "2026120720551301E4F7A0C", "data": data or {}},
    )


def tiktok_routes(fake: FakePlatforms) -> dict[tuple[str, str], Callable[[dict[str, str], Any], Answer]]:
    def token(params: dict[str, str], headers: Any) -> Answer:
        """``tt_user/oauth2/token/`` (``auth_code``) and ``tt_user/oauth2/refresh_token/``: both a
        JSON body with ``client_id`` and ``client_secret``."""
        if params.get("grant_type") not in ("authorization_code", "refresh_token"):
            return tiktok_envelope(code=40002, message="grant_type: invalid value")
        status, _extra, body = rfc_token(
            fake,
            "tiktok",
            {**params, "code": params.get("auth_code", "")},
            headers,
            prefix="act.",
            lifetime=86400,
            refresh_lifetime=31536000,
        )
        if status != 200:
            if body["error"] == "invalid_client":
                return tiktok_envelope(code=40001, message="The app id or secret is invalid.")
            return tiktok_envelope(
                code=40105, message="The auth code or refresh token is invalid or expired."
            )
        body["open_id"] = TIKTOK_OPEN_ID
        body["scope"] = "user.info.basic,user.info.username,video.list,comment.list,comment.list.manage"
        return tiktok_envelope(body)

    def business(params: dict[str, str], headers: Any) -> Answer:
        token = headers.get("Access-Token", "")
        if not fake.valid(token, "tiktok") or fake.tokens[token][1] != "access":
            return tiktok_envelope(code=40105, message="The access token is invalid or has expired.")
        if params.get("business_id") != TIKTOK_OPEN_ID:
            return tiktok_envelope(code=40002, message="business_id: no such account for this token")
        fields = json.loads(params.get("fields") or '["display_name", "profile_image"]')
        account = {"display_name": "Vara kommun", "username": "varakommun", "profile_image": ""}
        return tiktok_envelope({name: account[name] for name in fields if name in account})

    return {
        ("GET", "/v2/auth/authorize/"): lambda params, headers: fake.authorize(
            "tiktok", params, client_param="client_key"
        ),
        ("POST", f"{TIKTOK_API}/tt_user/oauth2/token/"): token,
        ("POST", f"{TIKTOK_API}/tt_user/oauth2/refresh_token/"): token,
        ("GET", f"{TIKTOK_API}/business/get/"): business,
    }


# -- Threads (the Threads API's log-in)

# The Threads user of the connector tests' payloads (tests/fixtures/threads/), so a log-in here can
# be followed by a sync of those payloads.
THREADS_USER_ID = "26718293645019283"


def threads_routes(fake: FakePlatforms) -> dict[tuple[str, str], Callable[[dict[str, str], Any], Answer]]:
    def short(params: dict[str, str], headers: Any) -> Answer:
        error = fake.redeem("threads", params)
        if error:
            return (
                400,
                {},
                {
                    "error": {
                        "message": "Invalid verification code format.",
                        "type": "OAuthException",
                        "code": 100,
                        "fbtrace_id": "AbC",
                    }
                },
            )
        return (
            200,
            {},
            {"access_token": fake.mint("threads", "short", "THQshort"), "user_id": int(THREADS_USER_ID)},
        )

    def long(params: dict[str, str], headers: Any) -> Answer:
        if params.get("grant_type") != "th_exchange_token" or params.get("client_secret") != APP_SECRET:
            return meta_error("Invalid request", 100)
        if not fake.valid(params.get("access_token", ""), "threads"):
            return meta_error("Error validating access token.", 190)
        return (
            200,
            {},
            {
                "access_token": fake.mint("threads", "access", "THQlong"),
                "token_type": "bearer",
                "expires_in": 5183944,
            },
        )

    def refresh(params: dict[str, str], headers: Any) -> Answer:
        old = params.get("access_token", "")
        if params.get("grant_type") != "th_refresh_token" or not fake.valid(old, "threads"):
            return meta_error("Error validating access token: Session has expired.", 190, 463)
        return (
            200,
            {},
            {
                "access_token": fake.mint("threads", "access", "THQlong"),
                "token_type": "bearer",
                "expires_in": 5183944,
            },
        )

    def me(params: dict[str, str], headers: Any) -> Answer:
        if not authorised(fake, "threads", headers):
            return meta_error("Error validating access token.", 190, status=401)
        return 200, {}, {"id": THREADS_USER_ID, "username": "varakommun", "name": "Vara kommun"}

    return {
        ("GET", "/oauth/authorize"): lambda params, headers: fake.authorize("threads", params),
        ("POST", "/oauth/access_token"): short,
        ("GET", "/access_token"): long,
        ("GET", "/refresh_access_token"): refresh,
        ("GET", "/v1.0/me"): me,
    }


# -- Mastodon (an instance, served under /mastodon)

MASTODON_ACCOUNT_ID = "109302845612345678"


def mastodon_routes(fake: FakePlatforms) -> dict[tuple[str, str], Callable[[dict[str, str], Any], Answer]]:
    def apps(params: dict[str, str], headers: Any) -> Answer:
        fake.registrations += 1
        return (
            200,
            {},
            {
                "id": "563419",
                "name": params.get("client_name", ""),
                "website": params.get("website"),
                "scopes": params.get("scopes", "").split(),
                "redirect_uri": params.get("redirect_uris"),
                "redirect_uris": [params.get("redirect_uris")],
                "client_id": APP_ID,
                "client_secret": APP_SECRET,
                "vapid_key": "BCk-QqERU0q-CfYZjcuB6lnyyOYfJ2AifKqfeGIm7Z-HiTU5T9eTG5GxVA0_OH5mMlI4UkkDTpaZwozy0TzdZ2M=",
            },
        )

    def token(params: dict[str, str], headers: Any) -> Answer:
        error = fake.redeem("mastodon", params)
        if error:
            return (
                400,
                {},
                {
                    "error": error,
                    "error_description": "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
                },
            )
        token = fake.mint("mastodon", "access", "ZA-")
        return (
            200,
            {},
            {
                "access_token": token,
                "token_type": "Bearer",
                "scope": params.get("scope", "read"),
                "created_at": 1765100000,
            },
        )

    def me(params: dict[str, str], headers: Any) -> Answer:
        if not authorised(fake, "mastodon", headers):
            return 401, {}, {"error": "The access token is invalid"}
        return (
            200,
            {},
            {
                "id": MASTODON_ACCOUNT_ID,
                "username": "varakommun",
                "acct": "varakommun",
                "display_name": "Vara kommun",
                "url": "https://social.vara.example/@varakommun",
                "locked": False,
                "bot": False,
                "created_at": "2022-11-07T00:00:00.000Z",
            },
        )

    return {
        ("POST", "/mastodon/api/v1/apps"): apps,
        ("GET", "/mastodon/oauth/authorize"): lambda params, headers: fake.authorize("mastodon", params),
        ("POST", "/mastodon/oauth/token"): token,
        ("GET", "/mastodon/api/v1/accounts/verify_credentials"): me,
    }


# -- Bluesky (a PDS, served under /bluesky)

BLUESKY_DID = "did:plc:vara4kommun2sigill7test"
APP_PASSWORD = "vara-4kq2-x7pd-sigl"


def jwt(fake: FakePlatforms, kind: str, seconds: int) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    claims = {
        "scope": "com.atproto.appPass" if kind == "access" else "com.atproto.refresh",
        "sub": BLUESKY_DID,
        "iat": int(time.time()),
        "exp": int(time.time()) + seconds,
        "jti": secrets.token_urlsafe(8),
    }
    token = f"{part({'typ': 'at+jwt', 'alg': 'ES256K'})}.{part(claims)}.{secrets.token_urlsafe(32)}"
    fake.tokens[token] = ("bluesky", kind)
    return token


def bluesky_routes(fake: FakePlatforms) -> dict[tuple[str, str], Callable[[dict[str, str], Any], Answer]]:
    def session(params: dict[str, str]) -> dict[str, Any]:
        return {
            "did": BLUESKY_DID,
            "handle": "varakommun.bsky.social",
            "accessJwt": jwt(fake, "access", 2 * 3600),
            "refreshJwt": jwt(fake, "refresh", 60 * 86400),
            "active": True,
            "didDoc": {
                "@context": ["https://www.w3.org/ns/did/v1"],
                "id": BLUESKY_DID,
                "alsoKnownAs": ["at://varakommun.bsky.social"],
                "service": [
                    {
                        "id": "#atproto_pds",
                        "type": "AtprotoPersonalDataServer",
                        "serviceEndpoint": "https://morel.us-east.host.bsky.network",
                    }
                ],
            },
        }

    def create(params: dict[str, str], headers: Any) -> Answer:
        if (
            params.get("identifier") not in ("varakommun.bsky.social", BLUESKY_DID)
            or params.get("password") != APP_PASSWORD
        ):
            return 401, {}, {"error": "AuthenticationRequired", "message": "Invalid identifier or password"}
        return 200, {}, session(params)

    def refresh(params: dict[str, str], headers: Any) -> Answer:
        old = fake.bearer(headers)
        if not fake.valid(old, "bluesky") or fake.tokens[old][1] != "refresh":
            return 400, {}, {"error": "ExpiredToken", "message": "Token has been revoked"}
        fake.revoked.add(old)
        body = session(params)
        body.pop("didDoc")
        return 200, {}, body

    return {
        ("POST", "/bluesky/xrpc/com.atproto.server.createSession"): create,
        ("POST", "/bluesky/xrpc/com.atproto.server.refreshSession"): refresh,
    }


ROUTE_MAKERS = [
    facebook_routes,
    linkedin_routes,
    google_routes,
    x_routes,
    tiktok_routes,
    threads_routes,
    mastodon_routes,
    bluesky_routes,
]


def serve(fake: FakePlatforms) -> Iterator[FakePlatforms]:
    """Run the fake on a free local port for as long as the generator is open."""
    routes: dict[tuple[str, str], Callable[[dict[str, str], Any], Answer]] = {}
    for make in ROUTE_MAKERS:
        routes.update(make(fake))

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, method: str) -> None:
            parts = urlsplit(self.path)
            params = dict(parse_qsl(parts.query, keep_blank_values=True))
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if body and "json" in self.headers.get("Content-Type", ""):
                params.update({k: str(v) for k, v in json.loads(body).items()})
            elif body:
                params.update(dict(parse_qsl(body.decode(), keep_blank_values=True)))
            fake.requests.append((method, parts.path, params))
            route = routes.get((method, parts.path))
            answer: Answer
            if fake.down:
                answer = 503, {}, {"error": "temporarily_unavailable"}
            elif route is None:
                answer = 404, {}, {"error": "not_found", "path": parts.path}
            else:
                answer = route(params, self.headers)
            status, headers, payload = answer
            data = b"" if payload is None else json.dumps(payload).encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the tests read ``fake.requests``."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.base = f"http://127.0.0.1:{server.server_port}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
