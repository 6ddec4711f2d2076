"""YouTube: a sync walks the channel's uploads (paged by pageToken), each video's comment threads
and the replies that did not come inline."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from sigill.archive.capture import Direction, Kind
from sigill.connectors import sync as engine
from sigill.connectors.models import Connection
from sigill.registry.models import Account
from tests.connectors.conftest import archived, connect, connection_of, latest_text, payload
from tests.connectors.walks import (
    derived,
    images,
    paused_until,
    people,
    succeeded,
    utc,
)

__all__ = ["people"]
pytestmark = pytest.mark.httpx2(assert_all_called=False)

API = "https://www.googleapis.com/youtube/v3"
UPLOADS = "UUq7v3Xk2bN9pLr4TzW8yH1a"
SNOW_VIDEO = "FY_hTAP1FiM"
SUMMER_VIDEO = "wsJsXfH91AP"
OLDER_VIDEO = "oLdEr0000Aa"  # derived: the second page of uploads
KERSTIN = "Ugz2tGm6UlIEwhpnMqtN94AaABAg"  # a thread with three replies, two inline
RAMI = "UgzCn5RNnhlLBmdZSSO3R4AaABAg"  # edited
OWN_REPLY = f"{KERSTIN}.AAIzyvLf4tk2CJ1z7ZCr3l"  # only on the last replies page


def no_threads() -> dict[str, Any]:
    """commentThreads.list for a video nobody has commented on."""
    return {
        "kind": "youtube#commentThreadListResponse",
        "etag": "tGm6UlIEwhpnMqtN94AaABAgEmpty",
        "pageInfo": {"totalResults": 0, "resultsPerPage": 100},
        "items": [],
    }


def mount_channel(router: Any) -> dict[str, Any]:
    """Routes for a whole walk of the channel."""
    uploads = payload("youtube/data-api-v3/playlist_items_uploads_p1.json")
    summer = next(i for i in uploads["items"] if i["snippet"]["resourceId"]["videoId"] == SUMMER_VIDEO)
    older = derived(summer, id="VVVxN3YzWGsyYk45cExyNFR6Vzh5SDFhLm9MZEVy")
    older["snippet"] = {
        **older["snippet"],
        "publishedAt": "2024-12-20T09:00:00Z",
        "resourceId": {"kind": "youtube#video", "videoId": OLDER_VIDEO},
        "thumbnails": {
            "high": {
                "url": f"https://i.ytimg.com/vi/{OLDER_VIDEO}/hqdefault.jpg",
                "width": 480,
                "height": 360,
            }
        },
    }
    older["contentDetails"] = {"videoId": OLDER_VIDEO, "videoPublishedAt": "2024-12-20T09:00:00Z"}
    threads = payload("youtube/data-api-v3/comment_threads_p1.json")
    replies = payload("youtube/data-api-v3/comments_by_parent_p1.json")
    return {
        "uploads_p2": router.get(
            f"{API}/playlistItems", params={"pageToken": uploads["nextPageToken"]}
        ).respond(json={**uploads, "items": [older], "nextPageToken": None}),
        "uploads_p1": router.get(f"{API}/playlistItems").respond(json=uploads),
        "threads_p2": router.get(
            f"{API}/commentThreads", params={"videoId": SNOW_VIDEO, "pageToken": threads["nextPageToken"]}
        ).respond(json=payload("youtube/data-api-v3/comment_threads_p2.json")),
        "threads_p1": router.get(f"{API}/commentThreads", params={"videoId": SNOW_VIDEO}).respond(
            json=threads
        ),
        "no_threads": router.get(f"{API}/commentThreads").respond(json=no_threads()),
        "replies_p2": router.get(f"{API}/comments", params={"pageToken": replies["nextPageToken"]}).respond(
            json=payload("youtube/data-api-v3/comments_by_parent_p2.json")
        ),
        "replies_p1": router.get(f"{API}/comments", params={"parentId": KERSTIN}).respond(json=replies),
        "images": images(router),
    }


@pytest.fixture
def vara_youtube(people: dict[str, Any]) -> Account:
    return connect("youtube", "youtube.com/@varakommun", UPLOADS, **people)


def test_every_video_comment_and_reply_is_captured_with_its_parent_author_text_and_time(
    vara_youtube: Account, httpx2_mock: Any
) -> None:
    mount_channel(httpx2_mock)
    succeeded(vara_youtube)
    items = archived(vara_youtube)
    video = items[SNOW_VIDEO]
    assert video.kind == Kind.POST and video.direction == Direction.DRAWN_UP
    assert latest_text(video).startswith("Snöröjning i Vara – så prioriterar vi")
    assert video.published_at == utc(2025, 1, 15, 13, 0, 5)
    kerstin = items[KERSTIN]
    assert kerstin.kind == Kind.COMMENT and kerstin.parent_object_id == SNOW_VIDEO
    assert (kerstin.author_handle, kerstin.author_name) == ("kerstinfranvara", "@kerstinfranvara")
    assert latest_text(kerstin).startswith("Hur mycket snö måste det komma innan ni plogar")
    assert kerstin.published_at == utc(2025, 1, 15, 14, 20, 33) and kerstin.direction == Direction.RECEIVED
    replies = {i.object_id: i for i in items.values() if i.parent_object_id == KERSTIN}
    assert len(replies) == 3, "two came inline, the third only from comments.list"
    own = replies[OWN_REPLY]
    assert own.kind == Kind.REPLY and own.direction == Direction.DRAWN_UP
    assert own.published_at == utc(2025, 1, 15, 15, 2, 11)
    edited = items[RAMI].versions.get()
    assert edited.edited_at == utc(2025, 1, 15, 13, 48, 52) and "Edit:" in edited.text
    assert items[RAMI].published_at == utc(2025, 1, 15, 13, 31, 9)


def test_a_video_is_kept_by_its_largest_thumbnail(vara_youtube: Account, httpx2_mock: Any) -> None:
    routes = mount_channel(httpx2_mock)
    succeeded(vara_youtube)
    items = archived(vara_youtube)
    summer = items[SUMMER_VIDEO].versions.get()
    assert [(a.name, a.content_type) for a in summer.attachments.all()] == [
        ("maxresdefault.jpg", "image/jpeg")
    ]
    requested = {str(c.request.url) for c in routes["images"].calls}
    assert f"https://i.ytimg.com/vi/{SUMMER_VIDEO}/maxresdefault.jpg" in requested
    assert items[OLDER_VIDEO].versions.get().attachments.get().name == "hqdefault.jpg", "the largest there is"
    assert items[KERSTIN].versions.get().attachments.count() == 0


def test_uploads_threads_and_replies_are_read_across_their_pages(
    vara_youtube: Account, httpx2_mock: Any
) -> None:
    routes = mount_channel(httpx2_mock)
    succeeded(vara_youtube)
    items = archived(vara_youtube)
    assert [routes[n].call_count for n in ("uploads_p2", "threads_p2", "replies_p2")] == [1, 1, 1]
    assert items[OLDER_VIDEO].published_at == utc(2024, 12, 20, 9)
    assert items["UgzOv2iX9qw8BLpTlgemh4AaABAg"].parent_object_id == SNOW_VIDEO, "from the last thread page"
    # 4 videos, 4 threads, 3 replies.
    assert len(items) == 11


def test_the_daily_quota_used_up_waits_until_it_resets_at_midnight_in_california(
    vara_youtube: Account, httpx2_mock: Any
) -> None:
    routes = mount_channel(httpx2_mock)
    exceeded = httpx.Response(403, json=payload("youtube/data-api-v3/error_quota_exceeded.json"))
    routes["threads_p2"].side_effect = [exceeded, routes["threads_p2"].return_value]
    run = engine.sync(vara_youtube)
    due = paused_until(vara_youtube, run)
    pacific = due.astimezone(ZoneInfo("America/Los_Angeles"))
    assert (pacific.hour, pacific.minute) == (0, 0) and due > dt.datetime.now(dt.UTC)
    connection = connection_of(vara_youtube)
    assert connection.status == Connection.Status.FAILING and "quotaExceeded" in connection.last_error
    succeeded(vara_youtube)
    assert routes["uploads_p1"].call_count == 1, "the cursor was kept"
    assert len(archived(vara_youtube)) == 11


def test_a_short_rate_limit_waits_a_minute_not_a_day(vara_youtube: Account, httpx2_mock: Any) -> None:
    httpx2_mock.get(f"{API}/playlistItems").respond(
        403,
        json={
            "error": {
                "code": 403,
                "message": "The request cannot be completed because you have exceeded your quota.",
                "errors": [
                    {"message": "Rate Limit Exceeded", "domain": "usageLimits", "reason": "rateLimitExceeded"}
                ],
            }
        },
    )
    run = engine.sync(vara_youtube)
    due = paused_until(vara_youtube, run)
    assert dt.timedelta(seconds=55) <= due - dt.datetime.now(dt.UTC) <= dt.timedelta(minutes=2)
