"""Bluesky: a sync walks the account's author feed (paged by cursor) and the threads of its posts;
a reply deleted on Bluesky is recorded as removed on the platform, its saved copy kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from sigill.archive.capture import Direction, Kind
from sigill.archive.models import ItemFact
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

DID = "did:plc:h5m2mxmvrjfvq74szqq2zpgz"
XRPC = "https://public.api.bsky.app/xrpc"
FEED = f"{XRPC}/app.bsky.feed.getAuthorFeed"
THREAD = f"{XRPC}/app.bsky.feed.getPostThread"
SNOW = f"at://{DID}/app.bsky.feed.post/3lfokvvt6o22b"
KALLE = "at://did:plc:pk6lazjhonmh2jfn5tdqvztz/app.bsky.feed.post/3lfombtk3s22b"
KALLE_AGAIN = "at://did:plc:pk6lazjhonmh2jfn5tdqvztz/app.bsky.feed.post/3lforcdzrg22b"
DELETED = "at://did:plc:otfapamdvyhgrdprlmmra3va/app.bsky.feed.post/3lfomxrgzs22b"
REPOSTED = "at://did:plc:t6hylubwy4whbzmwswhkyqam/app.bsky.feed.post/3lr6sl2zds22b"
OLDER = f"at://{DID}/app.bsky.feed.post/3lf2aaaaaa22b"  # derived: the second page of the feed


def thread_before_the_reply_was_deleted() -> dict[str, Any]:
    """getPostThread.json as it was before the deletion: the #notFoundPost node is a post again, a
    copy of its sibling reply with the deleted reply's uri and author."""
    thread = payload("bluesky/xrpc/getPostThread.json")
    replies = thread["thread"]["replies"]
    sibling = replies[2]
    post = derived(
        sibling["post"],
        uri=DELETED,
        cid="bafyreidxdeletedreplyxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        author={"did": "did:plc:otfapamdvyhgrdprlmmra3va", "handle": "anon-vara.bsky.social"},
    )
    post["record"] = {
        **post["record"],
        "text": "Skäms på er! Ingen plogar här 😡",
        "createdAt": "2025-01-14T06:35:00.000Z",
    }
    replies[1] = {"$type": "app.bsky.feed.defs#threadViewPost", "post": post, "replies": []}
    return thread


def mount_account(router: Any, *, thread: dict[str, Any] | None = None) -> dict[str, Any]:
    """Routes for a whole walk of the account: two feed pages, the snow post's thread."""
    feed = payload("bluesky/xrpc/getAuthorFeed.json")
    summer = feed["feed"][0]
    older_post = derived(
        summer["post"],
        uri=OLDER,
        cid="bafyreiolderpostxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        indexedAt="2025-01-02T09:00:00.412Z",
    )
    older_post["record"] = {**older_post["record"], "createdAt": "2025-01-02T09:00:00.000Z"}
    return {
        "feed_p2": router.get(FEED, params={"cursor": feed["cursor"]}).respond(
            json={"feed": [{"post": older_post}]}
        ),
        "feed_p1": router.get(FEED).respond(json=feed),
        "snow_thread": router.get(THREAD, params={"uri": SNOW}).respond(
            json=thread or payload("bluesky/xrpc/getPostThread.json")
        ),
        "other_threads": router.get(THREAD).respond(json={"thread": {"post": {}, "replies": []}}),
        "images": images(router),
    }


@pytest.fixture
def vara_bluesky(people: dict[str, Any]) -> Account:
    return connect("bluesky", "bsky.app/profile/varakommun.bsky.social", DID, **people)


def test_every_post_and_reply_is_captured_with_its_parent_author_text_and_time(
    vara_bluesky: Account, httpx2_mock: Any
) -> None:
    mount_account(httpx2_mock)
    succeeded(vara_bluesky)
    items = archived(vara_bluesky)
    assert REPOSTED not in items, "a repost is someone else's post"
    snow = items[SNOW]
    assert snow.kind == Kind.POST and snow.direction == Direction.DRAWN_UP
    assert latest_text(snow).startswith("❄️ Snöröjningen pågår i hela Vara.")
    assert snow.published_at == utc(2025, 1, 14, 5, 56, 10)
    kalle = items[KALLE]
    assert kalle.kind == Kind.COMMENT and kalle.parent_object_id == SNOW
    assert kalle.author_handle == "kalle-dahl.bsky.social" and kalle.direction == Direction.RECEIVED
    assert latest_text(kalle).startswith("Kyrkogatan är fortfarande en isbana 🧊")
    assert kalle.published_at == utc(2025, 1, 14, 6, 20, 44)
    own = items[f"at://{DID}/app.bsky.feed.post/3lfongds4u22b"]
    assert own.kind == Kind.REPLY and own.parent_object_id == KALLE and own.direction == Direction.DRAWN_UP
    again = items[KALLE_AGAIN]
    assert again.kind == Kind.REPLY and again.parent_object_id == own.object_id
    assert latest_text(again) == "Nu är den plogad. Tack! 🙏" and again.published_at == utc(
        2025, 1, 14, 7, 50, 30
    )
    assert DELETED not in items, "a reply deleted before Sigill ever saw it leaves nothing to keep"


def test_the_image_of_a_post_is_kept_as_an_attachment_with_its_alt_text(
    vara_bluesky: Account, httpx2_mock: Any
) -> None:
    routes = mount_account(httpx2_mock)
    succeeded(vara_bluesky)
    snow = archived(vara_bluesky)[SNOW].versions.get()
    assert [a.content_type for a in snow.attachments.all()] == ["image/jpeg"]
    assert snow.metadata["alt"] == ["Plogbil på Stationsgatan i gryningen."]
    assert "feed_fullsize" in str(routes["images"].calls.last.request.url)


def test_the_feed_is_read_across_its_pages(vara_bluesky: Account, httpx2_mock: Any) -> None:
    routes = mount_account(httpx2_mock)
    succeeded(vara_bluesky)
    items = archived(vara_bluesky)
    assert routes["feed_p2"].call_count == 1
    assert items[OLDER].published_at == utc(2025, 1, 2, 9)
    # 3 own posts on page 1, 1 on page 2, 3 more replies in the snow thread.
    assert len(items) == 7


def test_a_reply_deleted_on_bluesky_is_recorded_as_removed_and_its_saved_copy_kept(
    vara_bluesky: Account, httpx2_mock: Any
) -> None:
    routes = mount_account(httpx2_mock, thread=thread_before_the_reply_was_deleted())
    succeeded(vara_bluesky)
    deleted = archived(vara_bluesky)[DELETED]
    assert latest_text(deleted) == "Skäms på er! Ingen plogar här 😡" and not deleted.facts.exists()
    routes["snow_thread"].respond(json=payload("bluesky/xrpc/getPostThread.json"))
    succeeded(vara_bluesky)
    deleted = archived(vara_bluesky)[DELETED]
    assert list(deleted.facts.values_list("fact", flat=True)) == [ItemFact.Fact.REMOVED_ON_PLATFORM]
    assert latest_text(deleted) == "Skäms på er! Ingen plogar här 😡", "the record stays in the archive"
    assert deleted.versions.count() == 1
    succeeded(vara_bluesky)
    assert archived(vara_bluesky)[DELETED].facts.count() == 1, "seen gone again: still one fact"


def test_a_rate_limit_waits_for_the_reset_and_the_next_run_resumes(
    vara_bluesky: Account, httpx2_mock: Any
) -> None:
    routes = mount_account(httpx2_mock)
    reset = int((dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)).timestamp())
    limited = httpx.Response(
        429,
        json={"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
        headers={"ratelimit-limit": "3000", "ratelimit-remaining": "0", "ratelimit-reset": str(reset)},
    )
    routes["snow_thread"].side_effect = [limited, routes["snow_thread"].return_value]
    run = engine.sync(vara_bluesky)
    assert paused_until(vara_bluesky, run) >= dt.datetime.fromtimestamp(reset, dt.UTC) - dt.timedelta(
        seconds=5
    )
    assert connection_of(vara_bluesky).status == Connection.Status.FAILING
    assert "RateLimitExceeded" in connection_of(vara_bluesky).last_error
    succeeded(vara_bluesky)
    assert routes["feed_p1"].call_count == 1, "the cursor was kept"
    assert KALLE in archived(vara_bluesky)


def test_few_calls_left_in_the_window_pause_the_walk_before_it_is_throttled(
    vara_bluesky: Account, httpx2_mock: Any
) -> None:
    routes = mount_account(httpx2_mock)
    routes["feed_p1"].return_value = httpx.Response(
        200, json=payload("bluesky/xrpc/getAuthorFeed.json"), headers={"ratelimit-remaining": "4"}
    )
    run = engine.sync(vara_bluesky)
    assert paused_until(vara_bluesky, run) > dt.datetime.now(dt.UTC)
    assert SNOW in archived(vara_bluesky), "the page read is kept"
