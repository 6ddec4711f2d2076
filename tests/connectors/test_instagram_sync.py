"""Instagram: a sync walks the professional account's media (paged by cursor), each carousel with
every image, the comments and their replies."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

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

GRAPH = "https://graph.facebook.com/v21.0"
IG_USER = "17841402837465019"
MEDIA = f"{GRAPH}/{IG_USER}/media"
LIBRARY = "18047283910293847"  # an image, with two pages of comments
CAROUSEL = "18302918475610293"
VIDEO = "18074561029384756"
OLDER = "18000000000000001"  # derived: the second page of media
EBBA = "18045019283746510"  # a comment with two replies
NORA = "18129384756102938"  # the reply that is not inline: read from the replies page
REPLIES_AFTER = "QVFIUK04rdmqKmD6rv_zq3uPEZKSP9XxQ_mYcQyAK4vPZ9yS0X0l-UKNjLj8fcNFc"


def comments_with_more_replies_than_inline() -> dict[str, Any]:
    """comments_p1.json with Ebba's inline replies cut to the first and a next link to the rest,
    as the API pages a comment's replies when there are more than fit inline."""
    page = payload("instagram/graph-api/comments_p1.json")
    ebba = next(c for c in page["data"] if c["id"] == EBBA)
    ebba["replies"] = {
        "data": ebba["replies"]["data"][:1],
        "paging": {
            "cursors": {"after": REPLIES_AFTER},
            "next": f"{GRAPH}/{EBBA}/replies?access_token=EAABxxxxxxxxxxxx&limit=1&after={REPLIES_AFTER}",
        },
    }
    return page


def mount_account(router: Any) -> dict[str, Any]:
    """Routes for a whole walk of the account."""
    media = payload("instagram/graph-api/media_p1.json")
    library = next(m for m in media["data"] if m["id"] == LIBRARY)
    older = derived(
        library,
        id=OLDER,
        timestamp="2025-05-30T09:00:00+0000",
        permalink="https://www.instagram.com/p/DrOLDER0001/",
        shortcode="DrOLDER0001",
    )
    comments = comments_with_more_replies_than_inline()
    return {
        "media_p2": router.get(MEDIA, params={"after": media["paging"]["cursors"]["after"]}).respond(
            json={"data": [older], "paging": {"cursors": {"before": "QVFIUb4", "after": "QVFIUa4"}}}
        ),
        "media_p1": router.get(MEDIA).respond(json=media),
        "album": router.get(f"{GRAPH}/{CAROUSEL}").respond(
            json=payload("instagram/graph-api/media_carousel.json")
        ),
        "comments_p2": router.get(
            f"{GRAPH}/{LIBRARY}/comments", params={"after": comments["paging"]["cursors"]["after"]}
        ).respond(json=payload("instagram/graph-api/comments_p2.json")),
        "comments_p1": router.get(f"{GRAPH}/{LIBRARY}/comments").respond(json=comments),
        "replies": router.get(f"{GRAPH}/{EBBA}/replies", params={"after": REPLIES_AFTER}).respond(
            json=payload("instagram/graph-api/comment_replies.json")
        ),
        "no_comments": router.get(url__regex=rf"^{GRAPH}/\d+/comments").respond(json={"data": []}),
        "inbox": router.get(f"{GRAPH}/me/conversations").respond(json={"data": []}),
        "images": images(router),
    }


@pytest.fixture
def vara_instagram(people: dict[str, Any]) -> Account:
    return connect("instagram", "instagram.com/varakommun", IG_USER, **people)


def test_every_media_comment_and_reply_is_captured_with_its_parent_author_text_and_time(
    vara_instagram: Account, httpx2_mock: Any
) -> None:
    mount_account(httpx2_mock)
    succeeded(vara_instagram)
    items = archived(vara_instagram)
    library = items[LIBRARY]
    assert library.kind == Kind.POST and library.direction == Direction.DRAWN_UP
    assert library.published_at == utc(2025, 6, 20, 7, 15, 2)
    ebba = items[EBBA]
    assert ebba.kind == Kind.COMMENT and ebba.parent_object_id == LIBRARY
    assert ebba.author_handle == "ebba.lindgren.vara" and ebba.direction == Direction.RECEIVED
    assert latest_text(ebba) == "Blir det kodkurs på biblioteket i år också? Min son älskade den 🤖💙"
    assert ebba.published_at == utc(2025, 6, 20, 7, 31, 40)
    own = items["18062938475610294"]
    assert own.kind == Kind.REPLY and own.parent_object_id == EBBA and own.direction == Direction.DRAWN_UP
    nora = items[NORA]
    assert nora.kind == Kind.REPLY and nora.parent_object_id == EBBA
    assert latest_text(nora) == "@varakommun gäller det även simskolan i Kvänum? 🏊"
    assert nora.author_handle == "noras_mamma_" and nora.published_at == utc(2025, 6, 20, 8, 40, 51)
    assert items["18072019384756102"].parent_object_id == "18203948571029384"
    assert items["18093847561029385"].versions.get().metadata["is_hidden"] is True


def test_images_of_posts_carousels_and_videos_are_kept_as_attachments(
    vara_instagram: Account, httpx2_mock: Any
) -> None:
    routes = mount_account(httpx2_mock)
    succeeded(vara_instagram)
    items = archived(vara_instagram)
    assert items[LIBRARY].versions.get().attachments.count() == 1
    carousel = items[CAROUSEL].versions.get()
    assert routes["album"].call_count == 1, "the carousel was read on its own, with its children"
    assert [a.content_type for a in carousel.attachments.all()] == ["image/jpeg"] * 3, (
        "two images and the video's cover"
    )
    assert carousel.text.startswith("Vilken dag på Vara torgdag! 🎪")
    assert items[CAROUSEL].published_at == utc(2025, 6, 14, 11, 40, 27)
    video = items[VIDEO].versions.get()
    assert video.attachments.count() == 1 and video.metadata["video_url"].startswith("https://")


def test_media_comments_and_replies_are_read_across_their_pages(
    vara_instagram: Account, httpx2_mock: Any
) -> None:
    routes = mount_account(httpx2_mock)
    succeeded(vara_instagram)
    items = archived(vara_instagram)
    assert [routes[name].call_count for name in ("media_p2", "comments_p2", "replies")] == [1, 1, 1]
    assert items[OLDER].published_at == utc(2025, 5, 30, 9)
    # 4 media, 4 comments on two pages, 3 replies (one read twice: inline and on its page).
    assert len(items) == 11
    assert items["18062938475610294"].versions.count() == 1
    requested = [str(c.request.url) for c in routes["media_p2"].calls]
    assert all("access_token" not in url for url in requested), "the paging URL's token is stripped"


def test_a_rate_limit_backs_off_and_the_next_run_resumes_where_the_walk_stopped(
    vara_instagram: Account, httpx2_mock: Any
) -> None:
    routes = mount_account(httpx2_mock)
    limited = httpx.Response(400, json=payload("facebook/graph-api/error_4_app_rate_limit.json"))
    routes["comments_p2"].side_effect = [limited, routes["comments_p2"].return_value]
    run = engine.sync(vara_instagram)
    assert paused_until(vara_instagram, run) > dt.datetime.now(dt.UTC)
    assert connection_of(vara_instagram).status == Connection.Status.FAILING
    assert "(#4)" in connection_of(vara_instagram).last_error
    succeeded(vara_instagram)
    assert routes["media_p1"].call_count == 1, "the cursor was kept: the media were not read again"
    assert len(archived(vara_instagram)) == 11


def test_usage_near_the_limit_pauses_the_walk_before_it_is_throttled(
    vara_instagram: Account, httpx2_mock: Any
) -> None:
    routes = mount_account(httpx2_mock)
    usage = {"type": "instagram", "call_count": 96, "total_cputime": 8, "total_time": 9}
    usage["estimated_time_to_regain_access"] = 6
    routes["media_p1"].return_value = httpx.Response(
        200,
        json=payload("instagram/graph-api/media_p1.json"),
        headers={"X-Business-Use-Case-Usage": json.dumps({IG_USER: [usage]})},
    )
    run = engine.sync(vara_instagram)
    assert paused_until(vara_instagram, run) >= dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5, seconds=50)
    assert LIBRARY in archived(vara_instagram), "the page read is kept"
