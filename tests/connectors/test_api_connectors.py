"""Instagram, YouTube, X, LinkedIn, Mastodon and Bluesky: each sync turns the platform's documented
payloads into captures with the right parent, author, text, time and attachments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sigill.archive.capture import Direction, Kind
from sigill.connectors import sync as engine
from sigill.connectors.models import CaptureRun
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.connectors.conftest import JPEG, archived, connect, connection_of, latest_text, payload

pytestmark = pytest.mark.httpx2(assert_all_called=False)
GRAPH = "https://graph.facebook.com/v21.0"


@pytest.fixture
def people(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> dict[str, Any]:
    return {"alice": alice, "erik": erik, "bob": bob, "units": units}


def images(router: Any) -> None:
    router.get(
        url__regex=r"^https://[a-z0-9.\-]+\.(cdninstagram\.com|bsky\.app|twimg\.com|example)/"
    ).respond(content=JPEG, headers={"Content-Type": "image/jpeg"})


def succeeded(account: Account) -> CaptureRun:
    run = engine.sync(account)
    assert run is not None and run.outcome == CaptureRun.Outcome.SUCCEEDED, run and run.error
    return run


def test_youtube_uploads_threads_and_the_replies_that_did_not_come_inline(
    people: dict[str, Any], httpx2_mock: Any
) -> None:
    account = connect("youtube", "youtube.com/@varakommun", "UUq7v3Xk2bN9pLr4TzW8yH1a", **people)
    api = "https://www.googleapis.com/youtube/v3"
    uploads = payload("youtube/data-api-v3/playlist_items_uploads_p1.json")
    httpx2_mock.get(f"{api}/playlistItems", params={"pageToken": uploads["nextPageToken"]}).respond(
        json={"items": []}
    )
    httpx2_mock.get(f"{api}/playlistItems").respond(json=uploads)
    threads = payload("youtube/data-api-v3/comment_threads_p1.json")
    httpx2_mock.get(
        f"{api}/commentThreads", params={"videoId": "FY_hTAP1FiM", "pageToken": threads["nextPageToken"]}
    ).respond(json=payload("youtube/data-api-v3/comment_threads_p2.json"))
    httpx2_mock.get(f"{api}/commentThreads", params={"videoId": "FY_hTAP1FiM"}).respond(json=threads)
    httpx2_mock.get(f"{api}/commentThreads").respond(json={"items": []})
    replies = payload("youtube/data-api-v3/comments_by_parent_p1.json")
    httpx2_mock.get(f"{api}/comments", params={"pageToken": replies["nextPageToken"]}).respond(
        json=payload("youtube/data-api-v3/comments_by_parent_p2.json")
    )
    httpx2_mock.get(f"{api}/comments").respond(json=replies)
    succeeded(account)
    items = archived(account)
    thread = "Ugz2tGm6UlIEwhpnMqtN94AaABAg"
    assert (
        items[thread].parent_object_id == "FY_hTAP1FiM" and items[thread].author_handle == "kerstinfranvara"
    )
    replies_of_thread = [i for i in items.values() if i.parent_object_id == thread]
    assert len(replies_of_thread) == 3, "two came inline, the third only from comments.list"
    own = items["Ugz2tGm6UlIEwhpnMqtN94AaABAg.AAIzyvLf4tk2CJ1z7ZCr3l"]
    assert own.direction == Direction.DRAWN_UP and own.kind == Kind.REPLY
    edited = [i for i in items.values() if i.versions.get().edited_at is not None]
    assert edited and "Edit:" in latest_text(edited[0])
    assert items["wsJsXfH91AP"].kind == Kind.POST and latest_text(items["wsJsXfH91AP"]).startswith(
        "Sommarlov i Vara 2025 ☀️"
    )


def test_youtube_quota_exceeded_waits_an_hour_at_least(people: dict[str, Any], httpx2_mock: Any) -> None:
    account = connect("youtube", "youtube.com/@varakommun", "UUq7v3Xk2bN9pLr4TzW8yH1a", **people)
    httpx2_mock.get("https://www.googleapis.com/youtube/v3/playlistItems").respond(
        403, json=payload("youtube/data-api-v3/error_quota_exceeded.json")
    )
    run = engine.sync(account)
    assert run is not None and run.outcome == CaptureRun.Outcome.PAUSED
    connection = connection_of(account)
    assert connection.next_sync_at is not None and run.finished_at is not None
    assert connection.next_sync_at - run.finished_at >= dt.timedelta(minutes=59)
    assert "quotaExceeded" in connection.last_error


@pytest.mark.parametrize("slug", ["tiktok", "threads", "snapchat"])
def test_the_catalogue_says_which_platforms_are_captured_only_by_export_or_by_hand(
    slug: str, db: Any
) -> None:
    from sigill.connectors.base import has_connector
    from sigill.registry.models import Platform

    platform = Platform.objects.get(slug=slug)
    assert not platform.captures_comments_by_api and not has_connector(slug)
    assert "hand" in platform.notes
