"""Direct messages by API: each platform's inbox, in its documented payloads, becomes received (or
drawn-up) records kept as conversations, screened into the moderation queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from sigill.archive.capture import Direction, Kind
from sigill.archive.models import Item
from sigill.connectors import sync as engine
from sigill.connectors.models import CaptureRun
from sigill.moderation import selectors as moderation
from sigill.moderation import services as moderation_services
from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.connectors.conftest import PAGE_ID, archived, connect, latest_text, payload
from tests.connectors.graph import GRAPH, mount_page
from tests.connectors.walks import images, people, succeeded

__all__ = ["people"]
pytestmark = pytest.mark.httpx2(assert_all_called=False)


def messages_of(account: Account) -> dict[str, Item]:
    return {i.object_id: i for i in Item.objects.filter(account=account, kind=Kind.MESSAGE)}


def conversation_of(item: Item) -> str:
    return item.versions.order_by("-number").values_list("metadata", flat=True)[0]["conversation"]


def queued_texts(user: User) -> list[str]:
    """What ``user`` finds in the moderation queue once the worker has screened what arrived."""
    moderation_services.screen_items(list(Item.objects.values_list("pk", flat=True)))
    return [
        case.item.versions.last().text for case in moderation.queue_for(user, moderation.QueueFilters()).cases
    ]


# --- Facebook Page: Messenger conversations ------------------------------------------------------

MESSENGER_FIRST = "t_10161783920571834"
MESSENGER_SECOND = "t_10161502938475610"


def mount_inbox(router: Any) -> dict[str, Any]:
    """The Page's inbox: two conversations, the first with its message list on two pages. (Mounted
    after the Page's feed, whose empty inbox it replaces.)"""
    first = payload("facebook/graph-api/conversation_messages_p1.json")
    routes = {
        "inbox": router.get(f"{GRAPH}/{PAGE_ID}/conversations").respond(
            json=payload("facebook/graph-api/conversations_p1.json")
        ),
        "list_p2": router.get(f"{GRAPH}/{MESSENGER_FIRST}/messages").respond(
            json=payload("facebook/graph-api/conversation_messages_p2.json")
        ),
        "list_p1": router.get(f"{GRAPH}/{MESSENGER_FIRST}").respond(json=first),
        "list_second": router.get(f"{GRAPH}/{MESSENGER_SECOND}").respond(
            json=payload("facebook/graph-api/conversation2_messages.json")
        ),
        "images": router.get(url__regex=r"^https://[a-z0-9.\-]+\.fbcdn\.net/").respond(
            content=b"\xff\xd8\xff\xe0 plogordning", headers={"Content-Type": "image/jpeg"}
        ),
    }
    for name in ("message_received", "message_sent", "message_reply", "message_other_conversation"):
        message = payload(f"facebook/graph-api/{name}.json")
        routes[name] = router.get(f"{GRAPH}/{message['id']}").respond(json=message)
    return routes


@pytest.fixture
def vara_page(people: dict[str, Any]) -> Account:
    return connect("facebook", "facebook.com/varakommun", PAGE_ID, **people)


def test_facebook_messenger_conversations_are_captured_as_received_and_drawn_up_messages(
    vara_page: Account, httpx2_mock: Any, people: dict[str, Any]
) -> None:
    mount_page(httpx2_mock)
    mount_inbox(httpx2_mock)
    succeeded(vara_page)
    messages = messages_of(vara_page)
    assert len(messages) == 4
    received = messages[payload("facebook/graph-api/message_received.json")["id"]]
    assert received.direction == Direction.RECEIVED and received.author_name == "Åke Sjöberg"
    assert received.published_at == dt.datetime(2025, 1, 14, 19, 47, 3, tzinfo=dt.UTC)
    assert latest_text(received).startswith("Hej! Plogbilen har inte varit på Storgatan")
    sent = messages[payload("facebook/graph-api/message_sent.json")["id"]]
    assert sent.direction == Direction.DRAWN_UP and sent.author_platform_id == PAGE_ID
    assert [a.name for a in sent.versions.get().attachments.all()] == ["473829104_plogordning_n.jpg"]
    assert {conversation_of(m) for m in messages.values()} == {MESSENGER_FIRST, MESSENGER_SECOND}
    assert len(archived(vara_page)) == 15 + 4, "the Page's posts and comments are captured as before"
    queued = queued_texts(people["erik"])
    assert any(text.startswith("Hej! Plogbilen") for text in queued)
    assert not any(text.startswith("Hej Åke!") for text in queued), "the Page's own answer is no case"


def test_facebook_a_second_walk_reads_only_conversations_active_since_the_first(
    vara_page: Account, httpx2_mock: Any
) -> None:
    mount_page(httpx2_mock)
    routes = mount_inbox(httpx2_mock)
    succeeded(vara_page)
    routes["inbox"].side_effect = lambda request: httpx.Response(
        200,
        json={
            "data": [
                c | {"updated_time": "2020-01-01T00:00:00+0000"}
                for c in payload("facebook/graph-api/conversations_p1.json")["data"]
            ]
        },
    )
    calls = routes["list_p1"].call_count
    run = succeeded(vara_page)
    assert routes["list_p1"].call_count == calls, "no quiet conversation is read again"
    assert run.items == 0 and len(messages_of(vara_page)) == 4


def test_facebook_a_token_without_messaging_access_keeps_capturing_comments_and_the_run_says_so(
    vara_page: Account, httpx2_mock: Any
) -> None:
    mount_page(httpx2_mock)
    httpx2_mock.get(f"{GRAPH}/{PAGE_ID}/conversations").respond(
        400, json=payload("facebook/graph-api/error_10_messaging_permission.json")
    )
    run = succeeded(vara_page)
    assert len(archived(vara_page)) == 15 and not messages_of(vara_page)
    assert "pages_messaging" in run.details[engine.MESSAGES_REFUSED]
    assert CaptureRun.objects.get(pk=run.pk).details["full_walk"] is True


# --- Instagram: the professional account's inbox --------------------------------------------------

IG_USER = "17841402837465019"
IG_CONVERSATION = payload("instagram/graph-api/conversations.json")["data"][0]["id"]


def mount_instagram(router: Any) -> None:
    router.get(f"{GRAPH}/{IG_USER}/media").respond(json={"data": []})
    router.get(f"{GRAPH}/me/conversations", params={"platform": "instagram"}).respond(
        json=payload("instagram/graph-api/conversations.json")
    )
    router.get(f"{GRAPH}/{IG_CONVERSATION}").respond(
        json=payload("instagram/graph-api/conversation_messages.json")
    )
    for name in ("message_received", "message_sent"):
        message = payload(f"instagram/graph-api/{name}.json")
        router.get(f"{GRAPH}/{message['id']}").respond(json=message)
    images(router)


def test_instagram_messages_are_captured_in_their_conversation(
    people: dict[str, Any], httpx2_mock: Any
) -> None:
    account = connect("instagram", "instagram.com/varakommun", IG_USER, **people)
    mount_instagram(httpx2_mock)
    succeeded(account)
    messages = sorted(messages_of(account).values(), key=lambda m: m.published_at)
    assert [(m.direction, m.author_handle) for m in messages] == [
        (Direction.RECEIVED, "ebba.lindgren.vara"),
        (Direction.DRAWN_UP, "varakommun"),
    ]
    assert {conversation_of(m) for m in messages} == {IG_CONVERSATION}
    assert latest_text(messages[0]).startswith("Hej! Min son vill gå kodkursen")
    assert queued_texts(people["erik"]) == [latest_text(messages[0])]
