"""Mastodon: a sync walks the account's statuses (paged by the Link header), the replies in their
threads, every version of an edited status, and the mentions of the account."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from sigill.archive.capture import Direction, Kind
from sigill.connectors import sync as engine
from sigill.registry.models import Account
from tests.connectors.conftest import archived, connect, connection_of, latest_text, payload, raw
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

BASE = "https://social.vara-kommun.example"
ACCOUNT_ID = "109876543210987654"
STATUSES = f"{BASE}/api/v1/accounts/{ACCOUNT_ID}/statuses"
NOTIFICATIONS = f"{BASE}/api/v1/notifications"
SNOW = "113825159577605136"
LIBRARY_HOURS = "113814562406449065"  # edited: 10–14 corrected to 10–15
INGRID = "113825297989650394"  # a remote account's reply to the snow post, naming @varakommun
FREDRIK = "113825476771885838"  # a reply three levels deep
MENTION_ONLY = "113826000000000001"  # derived: a post that only names the account
OLDER = "113800000000000001"  # derived: the second page of statuses


def link_headers() -> dict[str, str]:
    lines = raw("mastodon/rest-api/account_statuses_p1.headers.txt").decode().splitlines()[1:]
    return dict(line.split(": ", 1) for line in lines)


def notification(status: dict[str, Any], notification_id: str) -> dict[str, Any]:
    """The Notification entity of type mention around a real status (the shared fixtures hold none)."""
    return {
        "id": notification_id,
        "type": "mention",
        "created_at": status["created_at"],
        "account": status["account"],
        "status": status,
    }


def mount_instance(router: Any) -> dict[str, Any]:
    """Routes for a whole walk of the account on its instance."""
    statuses = payload("mastodon/rest-api/account_statuses_p1.json")
    school = statuses[1]
    context = payload("mastodon/rest-api/status_context.json")
    target = payload("mastodon/rest-api/status_context.target.json")
    fredrik = next(s for s in context["descendants"] if s["id"] == FREDRIK)
    mention_only = derived(
        target,
        id=MENTION_ONLY,
        uri=f"https://mastodon.example/users/ingridh/statuses/{MENTION_ONLY}",
        url=f"https://mastodon.example/@ingridh/{MENTION_ONLY}",
        created_at="2025-01-14T09:02:00.000Z",
        in_reply_to_id=None,
        in_reply_to_account_id=None,
        replies_count=0,
    )
    next_mentions = f"{NOTIFICATIONS}?types%5B%5D=mention&limit=40&max_id=30001"
    return {
        "statuses_p2": router.get(STATUSES, params={"max_id": LIBRARY_HOURS}).respond(
            json=[
                derived(
                    school,
                    id=OLDER,
                    uri=f"{BASE}/users/varakommun/statuses/{OLDER}",
                    url=f"{BASE}/@varakommun/{OLDER}",
                    created_at="2025-01-10T08:00:00.000Z",
                    replies_count=0,
                )
            ]
        ),
        "statuses_p1": router.get(STATUSES).mock(
            return_value=httpx.Response(
                200, content=raw("mastodon/rest-api/account_statuses_p1.json"), headers=link_headers()
            )
        ),
        # The snow post's thread holds Ingrid's reply and the replies to it.
        "snow_context": router.get(f"{BASE}/api/v1/statuses/{SNOW}/context").respond(
            json={"ancestors": [], "descendants": [target, *context["descendants"]]}
        ),
        # The mentions' own threads: Ingrid's is the real context file, Fredrik's its ancestors.
        "ingrid_context": router.get(f"{BASE}/api/v1/statuses/{INGRID}/context").respond(json=context),
        "fredrik_context": router.get(f"{BASE}/api/v1/statuses/{FREDRIK}/context").respond(
            json={"ancestors": [*context["ancestors"], target, context["descendants"][0]], "descendants": []}
        ),
        "contexts": router.get(url__regex=rf"^{BASE}/api/v1/statuses/\d+/context").respond(
            json={"ancestors": [], "descendants": []}
        ),
        "history": router.get(f"{BASE}/api/v1/statuses/{LIBRARY_HOURS}/history").respond(
            json=payload("mastodon/rest-api/status_edited_history.json")
        ),
        "mentions_p2": router.get(NOTIFICATIONS, params={"max_id": "30001"}).respond(
            json=[notification(mention_only, "30000")]
        ),
        "mentions_p1": router.get(NOTIFICATIONS, params={"types[]": "mention"}).respond(
            json=[notification(fredrik, "30002"), notification(target, "30001")],
            headers={"Link": f'<{next_mentions}>; rel="next"'},
        ),
        "images": images(router),
    }


@pytest.fixture
def vara_social(people: dict[str, Any]) -> Account:
    return connect("mastodon", "social.vara-kommun.example/@varakommun", ACCOUNT_ID, api_base=BASE, **people)


def test_every_status_reply_and_mention_is_captured_with_its_parent_author_text_and_time(
    vara_social: Account, httpx2_mock: Any
) -> None:
    mount_instance(httpx2_mock)
    succeeded(vara_social)
    items = archived(vara_social)
    snow = items[SNOW]
    assert snow.kind == Kind.POST and snow.direction == Direction.DRAWN_UP
    assert snow.published_at == utc(2025, 1, 14, 5, 55)
    assert latest_text(snow).startswith("❄️ Snöröjningen pågår i hela kommunen.")
    assert "<p>" not in latest_text(snow)
    ingrid = items[INGRID]
    assert ingrid.kind == Kind.COMMENT and ingrid.parent_object_id == SNOW
    assert ingrid.author_handle == "ingridh@mastodon.example" and ingrid.direction == Direction.RECEIVED
    assert ingrid.published_at == utc(2025, 1, 14, 6, 30, 12)
    own_reply = items["113825368178710968"]
    assert own_reply.kind == Kind.REPLY and own_reply.parent_object_id == INGRID
    assert own_reply.direction == Direction.DRAWN_UP
    fredrik = items[FREDRIK]
    assert fredrik.kind == Kind.REPLY and fredrik.parent_object_id == "113825368178710968"
    assert fredrik.author_handle == "fredrik_vara@fosstodon.example"
    assert fredrik.published_at == utc(2025, 1, 14, 7, 15, 40)
    warned = items["113825493811257876"].versions.get()
    assert warned.metadata["sensitive"] is True, "the reply with a content warning keeps its warning"


def test_the_image_of_a_status_is_kept_as_an_attachment(vara_social: Account, httpx2_mock: Any) -> None:
    routes = mount_instance(httpx2_mock)
    succeeded(vara_social)
    snow = archived(vara_social)[SNOW].versions.get()
    assert [(a.name, a.content_type) for a in snow.attachments.all()] == [
        ("bf74397e648aef62.jpg", "image/jpeg")
    ]
    assert snow.metadata["media"][0]["description"] == "Plogbil på Stationsgatan i gryningen."
    assert routes["images"].call_count == 1


def test_statuses_and_mentions_are_read_across_their_pages(vara_social: Account, httpx2_mock: Any) -> None:
    routes = mount_instance(httpx2_mock)
    succeeded(vara_social)
    items = archived(vara_social)
    assert routes["statuses_p2"].call_count == 1 and routes["mentions_p2"].call_count == 1
    assert items[OLDER].kind == Kind.POST and items[OLDER].published_at == utc(2025, 1, 10, 8)
    mention = items[MENTION_ONLY]
    assert mention.kind == Kind.POST and mention.direction == Direction.RECEIVED
    assert mention.author_handle == "ingridh@mastodon.example"
    assert mention.versions.get().metadata["mention"] is True


def test_a_mention_deep_in_a_thread_the_walk_did_not_reach_keeps_its_place_in_the_thread(
    vara_social: Account, httpx2_mock: Any
) -> None:
    routes = mount_instance(httpx2_mock)
    routes["snow_context"].respond(json={"ancestors": [], "descendants": []})
    succeeded(vara_social)
    items = archived(vara_social)
    assert "113825368178710968" not in items, "the account's reply was not walked"
    fredrik = items[FREDRIK]
    assert fredrik.kind == Kind.REPLY and fredrik.parent_object_id == "113825368178710968"
    ingrid = items[INGRID]
    assert ingrid.kind == Kind.COMMENT and ingrid.parent_object_id == SNOW
    assert ingrid.versions.get().metadata["mention"] is True


def test_a_reply_seen_in_its_thread_and_as_a_mention_is_one_item(
    vara_social: Account, httpx2_mock: Any
) -> None:
    mount_instance(httpx2_mock)
    succeeded(vara_social)
    items = archived(vara_social)
    assert items[INGRID].versions.count() == 1 and items[FREDRIK].versions.count() == 1
    # 3 statuses on page 1, 1 on page 2, 4 replies in the snow thread, 1 post naming the account.
    assert len(items) == 9


def test_an_edited_status_keeps_what_was_first_published_and_the_correction(
    vara_social: Account, httpx2_mock: Any
) -> None:
    routes = mount_instance(httpx2_mock)
    succeeded(vara_social)
    item = archived(vara_social)[LIBRARY_HOURS]
    versions = list(item.versions.order_by("number"))
    assert ["10–14" in v.text for v in versions] == [True, False]
    assert "10–15 på lördagar" in versions[1].text
    assert versions[0].edited_at is None and versions[1].edited_at == utc(2025, 1, 12, 9, 17, 42)
    assert item.published_at == utc(2025, 1, 12, 9)
    succeeded(vara_social)
    assert routes["history"].call_count == 2
    assert item.versions.count() == 2, "reading the history again adds no version"


def test_a_rate_limit_waits_for_the_window_and_the_next_run_resumes(
    vara_social: Account, httpx2_mock: Any
) -> None:
    routes = mount_instance(httpx2_mock)
    reset = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=4)).replace(microsecond=0)
    limited = httpx.Response(
        429,
        json={"error": "Too many requests"},
        headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset.isoformat().replace("+00:00", "Z")},
    )
    routes["snow_context"].side_effect = [limited, routes["snow_context"].return_value]
    run = engine.sync(vara_social)
    assert paused_until(vara_social, run) >= reset - dt.timedelta(seconds=5)
    assert "Mastodon" in connection_of(vara_social).last_error
    succeeded(vara_social)
    assert routes["statuses_p1"].call_count == 1, "the cursor was kept: page 1 was not read again"
    assert INGRID in archived(vara_social)


def test_few_calls_left_in_the_window_pause_the_walk_before_it_is_throttled(
    vara_social: Account, httpx2_mock: Any
) -> None:
    routes = mount_instance(httpx2_mock)
    routes["statuses_p1"].return_value = httpx.Response(
        200,
        content=raw("mastodon/rest-api/account_statuses_p1.json"),
        headers={**link_headers(), "x-ratelimit-remaining": "3"},
    )
    run = engine.sync(vara_social)
    assert paused_until(vara_social, run) > dt.datetime.now(dt.UTC)
    assert SNOW in archived(vara_social), "the page read is kept"
