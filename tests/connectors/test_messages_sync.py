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
    return [latest_text(case.item) for case in moderation.queue_for(user, moderation.QueueFilters()).cases]


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
    router.get(f"{GRAPH}/me/conversations").respond(json=payload("instagram/graph-api/conversations.json"))
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


# --- X: direct message events ----------------------------------------------------------------------

X_API = "https://api.x.com/2"
X_USER = "1189273645019283456"
DM_EVENTS = f"{X_API}/dm_events"


def mount_x(router: Any) -> dict[str, Any]:
    first = payload("x/api-v2/dm_events_p1.json")
    router.get(f"{X_API}/users/{X_USER}/tweets").respond(json={"meta": {"result_count": 0}})
    second = payload("x/api-v2/dm_events_p2.json")

    def dm_events(request: Any) -> httpx.Response:
        token = request.url.params.get("pagination_token")
        return httpx.Response(200, json=second if token == first["meta"]["next_token"] else first)

    return {"dm_events": router.get(DM_EVENTS).mock(side_effect=dm_events)}


def test_x_direct_messages_are_captured_across_pages_by_conversation(
    people: dict[str, Any], httpx2_mock: Any
) -> None:
    account = connect("x", "x.com/varakommun", X_USER, **people)
    routes = mount_x(httpx2_mock)
    succeeded(account)
    messages = messages_of(account)
    assert sorted(messages) == ["1878104917265409024", "1879231745019283712", "1879399218736451584"]
    linnea = messages["1879231745019283712"]
    assert (linnea.direction, linnea.author_name, linnea.author_handle) == (
        Direction.RECEIVED,
        "Linnéa Ström",
        "linnea_strom",
    )
    assert messages["1879399218736451584"].direction == Direction.DRAWN_UP
    assert conversation_of(linnea) == conversation_of(messages["1879399218736451584"])
    assert conversation_of(messages["1878104917265409024"]) != conversation_of(linnea)
    olle = messages["1878104917265409024"].versions.get()
    assert olle.metadata["media_keys"] == ["3_1878104911922720768"] and olle.attachments.count() == 0
    assert routes["dm_events"].calls[0].request.url.params["event_types"] == "MessageCreate"
    assert sorted(queued_texts(people["erik"])) == [
        latest_text(linnea),
        "Tack för tipset om skridskobanan, vi åker dit i helgen ⛸️",
    ]


def test_x_a_token_without_dm_read_keeps_capturing_posts_and_the_run_says_so(
    people: dict[str, Any], httpx2_mock: Any
) -> None:
    account = connect("x", "x.com/varakommun", X_USER, **people)
    mount_x(httpx2_mock)
    httpx2_mock.get(DM_EVENTS).respond(403, json=payload("x/api-v2/error_403_dm_scope.json"))
    run = succeeded(account)
    assert not messages_of(account)
    assert "dm.read" in run.details[engine.MESSAGES_REFUSED]


# --- Mastodon: direct statuses, by conversation ----------------------------------------------------

MASTODON = "https://social.vara-kommun.example"
MASTODON_ACCOUNT = "109876543210987654"


def mount_mastodon(router: Any) -> None:
    conversations = payload("mastodon/rest-api/conversations.json")
    first_message = payload("mastodon/rest-api/conversation_context.json")["ancestors"][0]
    router.get(f"{MASTODON}/api/v1/accounts/{MASTODON_ACCOUNT}/statuses").respond(json=[])
    # The resident's first message is also a mention of the account: it is not a comment.
    router.get(f"{MASTODON}/api/v1/notifications").respond(
        json=[
            {
                "id": "34975861",
                "type": "mention",
                "created_at": first_message["created_at"],
                "account": first_message["account"],
                "status": first_message,
            }
        ]
    )
    router.get(f"{MASTODON}/api/v1/conversations").respond(json=conversations)
    last = conversations[0]["last_status"]["id"]
    router.get(f"{MASTODON}/api/v1/statuses/{last}/context").respond(
        json=payload("mastodon/rest-api/conversation_context.json")
    )


def test_mastodon_direct_statuses_are_messages_of_their_conversation_never_comments(
    people: dict[str, Any], httpx2_mock: Any
) -> None:
    account = connect(
        "mastodon", "social.vara-kommun.example/@varakommun", MASTODON_ACCOUNT, api_base=MASTODON, **people
    )
    mount_mastodon(httpx2_mock)
    succeeded(account)
    items = archived(account)
    assert {item.kind for item in items.values()} == {Kind.MESSAGE}
    messages = sorted(items.values(), key=lambda m: m.published_at)
    assert [(m.direction, m.author_handle) for m in messages] == [
        (Direction.RECEIVED, "birgittan@mastodon.example"),
        (Direction.DRAWN_UP, "varakommun"),
        (Direction.RECEIVED, "birgittan@mastodon.example"),
    ]
    assert {conversation_of(m) for m in messages} == {"418450"}
    assert latest_text(messages[0]).endswith("Mitt kundnummer är 44-1902.")
    assert sorted(queued_texts(people["erik"])) == sorted(
        [latest_text(messages[0]), latest_text(messages[2])]
    )


# --- Bluesky: chat through the account's PDS ---------------------------------------------------------

BLUESKY_DID = "did:plc:h5m2mxmvrjfvq74szqq2zpgz"
CHAT = "https://bsky.social/xrpc"


def mount_bluesky(router: Any, messages: str = "getMessages.json") -> dict[str, Any]:
    router.get("https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed").respond(json={"feed": []})
    return {
        "convos": router.get(f"{CHAT}/chat.bsky.convo.listConvos").respond(
            json=payload("bluesky/xrpc/listConvos.json")
        ),
        "messages": router.get(f"{CHAT}/chat.bsky.convo.getMessages").respond(
            json=payload(f"bluesky/xrpc/{messages}")
        ),
    }


@pytest.fixture
def vara_bluesky(people: dict[str, Any]) -> Account:
    return connect("bluesky", "bsky.app/profile/varakommun.bsky.social", BLUESKY_DID, **people)


def test_bluesky_chat_is_read_through_the_chat_proxy_and_kept_by_conversation(
    vara_bluesky: Account, httpx2_mock: Any, people: dict[str, Any]
) -> None:
    routes = mount_bluesky(httpx2_mock, messages="getMessages_before_deletion.json")
    succeeded(vara_bluesky)
    messages = sorted(messages_of(vara_bluesky).values(), key=lambda m: m.published_at)
    assert [(m.direction, m.author_name) for m in messages] == [
        (Direction.RECEIVED, "Siv Hansson"),
        (Direction.DRAWN_UP, "Vara kommun"),
        (Direction.RECEIVED, "Siv Hansson"),
    ]
    assert {conversation_of(m) for m in messages} == {"3lfq2xk7gbd2c"}
    request = routes["messages"].calls[0].request
    assert request.headers["atproto-proxy"] == "did:web:api.bsky.chat#bsky_chat"
    assert request.url.params["convoId"] == "3lfq2xk7gbd2c"
    assert routes["convos"].calls[0].request.headers["atproto-proxy"] == "did:web:api.bsky.chat#bsky_chat"
    assert latest_text(messages[0]).startswith("Hej! Vet ni när Kyrkogatan öppnar")
    assert (
        "Hej! Vet ni när Kyrkogatan öppnar igen efter ledningsarbetet? Jag kör färdtjänst."
        in queued_texts(people["erik"])
    )


def test_bluesky_a_deleted_chat_message_is_recorded_as_removed_and_its_text_kept(
    vara_bluesky: Account, httpx2_mock: Any, settings: Any
) -> None:
    settings.CONNECTOR_FULL_WALK_DAYS = 0  # every walk reads everything
    routes = mount_bluesky(httpx2_mock, messages="getMessages_before_deletion.json")
    succeeded(vara_bluesky)
    routes["messages"].respond(json=payload("bluesky/xrpc/getMessages.json"))
    succeeded(vara_bluesky)
    deleted = messages_of(vara_bluesky)["3lfq2zz3pdc2c"]
    assert latest_text(deleted) == "Ursäkta, fel tråd!"
    assert deleted.search_entry.removed_on_platform_at is not None
    assert [f.fact for f in deleted.facts.all()] == ["removed_on_platform"]


def test_bluesky_an_app_password_without_chat_access_keeps_capturing_posts_and_the_run_says_so(
    vara_bluesky: Account, httpx2_mock: Any
) -> None:
    mount_bluesky(httpx2_mock)
    httpx2_mock.get(f"{CHAT}/chat.bsky.convo.listConvos").respond(
        400, json=payload("bluesky/xrpc/error_bad_token_scope.json")
    )
    run = succeeded(vara_bluesky)
    assert not messages_of(vara_bluesky)
    assert "direct messages" in run.details[engine.MESSAGES_REFUSED]
