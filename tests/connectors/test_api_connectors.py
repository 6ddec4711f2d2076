"""What every API connector does alike: the catalogue and the connectors agree on which platforms
are captured by API, and a token the platform rejects stops the account's syncs until comms
reconnects it.

Each connector's own sync tests are in test_<platform>_sync.py (Facebook's in test_facebook_sync.py):
parent, author, text, time and attachments of every post, comment and reply on the platforms'
payloads, paging and rate limits.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sigill.connectors import sync as engine
from sigill.connectors.base import has_connector
from sigill.connectors.models import CaptureRun
from sigill.registry.models import Platform
from tests.connectors.conftest import connect, connection_of, payload
from tests.connectors.walks import people, told_comms_to_reconnect

__all__ = ["people"]


@pytest.mark.parametrize("slug", ["snapchat"])
def test_the_catalogue_says_which_platforms_are_captured_only_by_export_or_by_hand(
    slug: str, db: Any
) -> None:
    platform = Platform.objects.get(slug=slug)
    assert not platform.captures_comments_by_api and not has_connector(slug)
    assert "hand" in platform.notes


@pytest.mark.parametrize(
    "slug", ["facebook", "instagram", "youtube", "linkedin", "x", "mastodon", "bluesky", "threads", "tiktok"]
)
def test_every_platform_the_catalogue_captures_by_api_has_a_connector(slug: str, db: Any) -> None:
    platform = Platform.objects.get(slug=slug)
    assert platform.captures_comments_by_api and has_connector(slug)


# Each platform's own answer to a token it no longer accepts, on the first request of a walk.
REJECTED_TOKENS = {
    "instagram": (
        ("instagram.com/varakommun", "17841402837465019", ""),
        "https://graph.facebook.com/v21.0/17841402837465019/media",
        httpx.Response(400, json=payload("facebook/graph-api/error_190_expired_token.json")),
        "Session has expired",
    ),
    "youtube": (
        ("youtube.com/@varakommun", "UUq7v3Xk2bN9pLr4TzW8yH1a", ""),
        "https://www.googleapis.com/youtube/v3/playlistItems",
        httpx.Response(
            401,
            json={
                "error": {
                    "code": 401,
                    "message": "Request had invalid authentication credentials. Expected OAuth 2 access token.",
                    "errors": [
                        {
                            "message": "Invalid Credentials",
                            "domain": "global",
                            "reason": "authError",
                            "location": "Authorization",
                            "locationType": "header",
                        }
                    ],
                    "status": "UNAUTHENTICATED",
                }
            },
        ),
        "authError",
    ),
    "linkedin": (
        ("linkedin.com/company/vara-kommun", "10293847", ""),
        "https://api.linkedin.com/rest/posts",
        httpx.Response(
            401,
            json={
                "serviceErrorCode": 65602,
                "message": "The token used in the request has expired",
                "status": 401,
            },
        ),
        "has expired",
    ),
    "x": (
        ("x.com/varakommun", "1189273645019283456", ""),
        "https://api.x.com/2/users/1189273645019283456/tweets",
        httpx.Response(
            401,
            json={"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"},
        ),
        "Unauthorized",
    ),
    "mastodon": (
        (
            "social.vara-kommun.example/@varakommun",
            "109876543210987654",
            "https://social.vara-kommun.example",
        ),
        "https://social.vara-kommun.example/api/v1/accounts/109876543210987654/statuses",
        httpx.Response(401, json={"error": "The access token is invalid"}),
        "The access token is invalid",
    ),
    "threads": (
        ("threads.net/@varakommun", "26718293645019283", ""),
        "https://graph.threads.net/v1.0/26718293645019283/threads",
        httpx.Response(400, json=payload("facebook/graph-api/error_190_expired_token.json")),
        "Session has expired",
    ),
    "tiktok": (
        ("tiktok.com/@varabibliotek", "-000vKxHq3n2RZpT8mWcL5bYdJ4gFs7aE1uN", ""),
        "https://business-api.tiktok.com/open_api/v1.3/business/video/list/",
        httpx.Response(200, json=payload("tiktok/business-api/error_40105_invalid_token.json")),
        "(40105) Access token is incorrect",
    ),
    "bluesky": (
        ("bsky.app/profile/varakommun.bsky.social", "did:plc:h5m2mxmvrjfvq74szqq2zpgz", ""),
        "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed",
        httpx.Response(400, json={"error": "ExpiredToken", "message": "Token has expired"}),
        "ExpiredToken",
    ),
}


@pytest.mark.parametrize("slug", list(REJECTED_TOKENS))
def test_an_expired_token_marks_the_account_for_reconnection_tells_comms_and_stops_retrying(
    slug: str, people: dict[str, Any], httpx2_mock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    (url, remote_id, api_base), first_request, answer, said = REJECTED_TOKENS[slug]
    account = connect(slug, url, remote_id, api_base=api_base, **people)
    route = httpx2_mock.get(first_request).mock(return_value=answer)
    with django_capture_on_commit_callbacks(execute=True):
        run = engine.sync(account)
    told_comms_to_reconnect(account, run)
    assert said in connection_of(account).last_error
    assert route.call_count == 1 and CaptureRun.objects.filter(account=account).count() == 1
