"""X: a sync walks the account's posts (paged by next_token), the replies in their conversations,
and every version of an edited post."""

from __future__ import annotations

import datetime as dt
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

API = "https://api.x.com/2"
USER_ID = "1189273645019283456"
TWEETS = f"{API}/users/{USER_ID}/tweets"
SEARCH = f"{API}/tweets/search/recent"
SNOW = "1879043265131450388"
ROADWORKS = "1877627737863106586"
OLDER = "1876900000000000000"  # derived: the second page of posts
BUS_FIRST, BUS_EDIT = "1935246099870691378", "1935247236527079477"


def bus_versions() -> tuple[dict[str, Any], dict[str, Any]]:
    """The badbuss post as first published ("kl 9", as the account's archive download shows it) and
    as edited (the real lookup of the edited post)."""
    edited = payload("x/api-v2/tweet_edited.json")["data"]
    first = derived(
        edited,
        id=BUS_FIRST,
        created_at="2025-06-18T08:00:00.000Z",
        text=edited["text"].replace("kl 10", "kl 9"),
    )
    return first, edited


def mount_account(router: Any) -> dict[str, Any]:
    """Routes for a whole walk: two pages of posts, the snow post's conversation, no other replies."""
    tweets = payload("x/api-v2/user_tweets_p1.json")
    roadworks = next(t for t in tweets["data"] if t["id"] == ROADWORKS)
    older = derived(
        roadworks,
        id=OLDER,
        created_at="2025-01-08T12:00:00.000Z",
        conversation_id=OLDER,
        edit_history_tweet_ids=[OLDER],
    )
    return {
        "tweets_p2": router.get(TWEETS, params={"pagination_token": tweets["meta"]["next_token"]}).respond(
            json={
                "data": [older],
                "includes": tweets["includes"],
                "meta": {"result_count": 1, "newest_id": OLDER, "oldest_id": OLDER},
            }
        ),
        "tweets_p1": router.get(TWEETS).respond(json=tweets),
        "snow_replies": router.get(SEARCH, params={"query": f"conversation_id:{SNOW}"}).respond(
            json=payload("x/api-v2/search_conversation.json")
        ),
        "no_replies": router.get(SEARCH).respond(json={"meta": {"result_count": 0}}),
        "images": images(router),
    }


@pytest.fixture
def vara_x(people: dict[str, Any]) -> Account:
    return connect("x", "x.com/varakommun", USER_ID, **people)


def test_every_post_and_reply_is_captured_with_its_parent_author_text_and_time(
    vara_x: Account, httpx2_mock: Any
) -> None:
    mount_account(httpx2_mock)
    succeeded(vara_x)
    items = archived(vara_x)
    snow = items[SNOW]
    assert snow.kind == Kind.POST and snow.direction == Direction.DRAWN_UP
    assert snow.published_at == utc(2025, 1, 14, 5, 50)
    assert latest_text(snow).startswith("❄️ Snöröjningen pågår i hela kommunen.")
    top = items["1879091638039511081"]
    assert top.kind == Kind.COMMENT and top.parent_object_id == SNOW
    assert (top.author_platform_id, top.author_handle, top.author_name) == (
        "1610293847561092",
        "leila_vlogg",
        "Leila Osmani",
    )
    assert latest_text(top) == "@varakommun när öppnar återvinningscentralen igen? 🤔"
    assert top.published_at == utc(2025, 1, 14, 9, 2, 13)
    own = items["1879055869014986784"]
    assert own.kind == Kind.REPLY and own.direction == Direction.DRAWN_UP
    deep = items["1879074919543758883"]
    assert deep.kind == Kind.REPLY and deep.parent_object_id == own.object_id
    assert deep.author_name == "Malin Bergkvist" and deep.published_at == utc(2025, 1, 14, 7, 55, 47)


def test_the_photo_of_a_post_is_kept_as_an_attachment(vara_x: Account, httpx2_mock: Any) -> None:
    routes = mount_account(httpx2_mock)
    succeeded(vara_x)
    snow = archived(vara_x)[SNOW].versions.get()
    assert [(a.name, a.content_type) for a in snow.attachments.all()] == [
        ("GhK2pL9XsAAz8Qm.jpg", "image/jpeg")
    ]
    assert routes["images"].calls.last.request.url == "https://pbs.twimg.com/media/GhK2pL9XsAAz8Qm.jpg"
    assert archived(vara_x)["1878809474626494487"].versions.get().attachments.count() == 0


def test_posts_are_read_across_pages_and_only_posts_with_replies_are_searched(
    vara_x: Account, httpx2_mock: Any
) -> None:
    routes = mount_account(httpx2_mock)
    succeeded(vara_x)
    items = archived(vara_x)
    assert routes["tweets_p2"].call_count == 1
    assert items[OLDER].published_at == utc(2025, 1, 8, 12)
    # 3 posts on page 1, 1 on page 2, 5 replies to the snow post (the roadworks posts' replies are
    # older than recent search reaches).
    assert len(items) == 9
    searched = [c.request.url.params["query"] for c in routes["no_replies"].calls]
    assert routes["snow_replies"].call_count == 1
    assert sorted(searched) == [f"conversation_id:{OLDER}", f"conversation_id:{ROADWORKS}"], (
        "only posts with replies are searched"
    )


def test_an_edited_post_keeps_what_was_first_published_and_the_edit_as_versions(
    vara_x: Account, httpx2_mock: Any
) -> None:
    first, edited = bus_versions()
    httpx2_mock.get(TWEETS).respond(json={"data": [edited], "meta": {"result_count": 1}})
    lookup = httpx2_mock.get(f"{API}/tweets", params={"ids": f"{BUS_FIRST},{BUS_EDIT}"}).respond(
        json={"data": [edited, first]}  # X answers a lookup in any order
    )
    httpx2_mock.get(SEARCH).respond(json={"meta": {"result_count": 0}})
    succeeded(vara_x)
    item = archived(vara_x)[BUS_FIRST]
    assert set(archived(vara_x)) == {BUS_FIRST}, "the edit is a version, not a second post"
    versions = list(item.versions.order_by("number"))
    assert ["kl 9 från 23 juni" in v.text for v in versions] == [True, False]
    assert "kl 10 från 23 juni" in versions[1].text
    assert versions[0].edited_at is None and versions[1].edited_at == utc(2025, 6, 18, 8, 4, 31)
    assert item.published_at == utc(2025, 6, 18, 8)
    succeeded(vara_x)
    assert lookup.call_count == 2 and item.versions.count() == 2, "reading the versions again adds none"


def test_an_edit_seen_after_the_first_version_was_archived_becomes_its_second_version(
    vara_x: Account, httpx2_mock: Any
) -> None:
    first, edited = bus_versions()
    unedited = derived(first, edit_history_tweet_ids=[BUS_FIRST])
    timeline = httpx2_mock.get(TWEETS).respond(json={"data": [unedited], "meta": {"result_count": 1}})
    httpx2_mock.get(f"{API}/tweets").respond(json={"data": [first, edited]})
    httpx2_mock.get(SEARCH).respond(json={"meta": {"result_count": 0}})
    succeeded(vara_x)
    timeline.respond(json={"data": [edited], "meta": {"result_count": 1}})
    succeeded(vara_x)
    versions = list(archived(vara_x)[BUS_FIRST].versions.order_by("number"))
    assert [v.edited_at for v in versions] == [None, utc(2025, 6, 18, 8, 4, 31)]
    assert "kl 10" in versions[1].text


def test_a_rate_limit_waits_until_the_window_resets_and_the_next_run_resumes(
    vara_x: Account, httpx2_mock: Any
) -> None:
    routes = mount_account(httpx2_mock)
    reset = int((dt.datetime.now(dt.UTC) + dt.timedelta(minutes=12)).timestamp())
    limited = httpx.Response(
        429,
        json=payload("x/api-v2/error_429.json"),
        headers={"x-rate-limit-reset": str(reset), "x-rate-limit-remaining": "0"},
    )
    routes["snow_replies"].side_effect = [limited, routes["snow_replies"].return_value]
    run = engine.sync(vara_x)
    assert paused_until(vara_x, run) >= dt.datetime.fromtimestamp(reset, dt.UTC) - dt.timedelta(seconds=5)
    assert connection_of(vara_x).status == Connection.Status.FAILING
    assert "Too Many Requests" in connection_of(vara_x).last_error
    succeeded(vara_x)
    assert routes["tweets_p1"].call_count == 1, "the cursor was kept"
    assert len(archived(vara_x)) == 9


def test_the_last_call_of_the_window_pauses_the_walk_before_it_is_throttled(
    vara_x: Account, httpx2_mock: Any
) -> None:
    routes = mount_account(httpx2_mock)
    reset = int((dt.datetime.now(dt.UTC) + dt.timedelta(minutes=9)).timestamp())
    routes["tweets_p1"].return_value = httpx.Response(
        200,
        json=payload("x/api-v2/user_tweets_p1.json"),
        headers={"x-rate-limit-remaining": "1", "x-rate-limit-reset": str(reset)},
    )
    run = engine.sync(vara_x)
    assert paused_until(vara_x, run) >= dt.datetime.fromtimestamp(reset, dt.UTC) - dt.timedelta(seconds=5)
    assert SNOW in archived(vara_x), "the page read is kept"
