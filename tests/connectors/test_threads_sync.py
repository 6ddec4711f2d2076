"""Threads: a sync walks the account's posts (paged by cursor) and every reply in their
conversations; a text changed on Threads becomes a new version; the moderation queue hides and
shows replies through ``manage_reply``.

The answers are the Threads API's documented shapes (tests/fixtures/threads/graph-api/).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from django.core import mail
from django.utils import translation

from sigill.archive.capture import Direction, Kind
from sigill.connectors import sync as engine
from sigill.connectors.models import Connection
from sigill.moderation import platform_acts
from sigill.moderation.platform_acts import ActFailed, Target
from sigill.registry.models import Account, Platform
from tests.connectors.conftest import TOKEN, archived, connect, connection_of, latest_text, payload
from tests.connectors.walks import derived, images, people, succeeded, told_comms_to_reconnect, utc

__all__ = ["people"]
pytestmark = pytest.mark.httpx2(assert_all_called=False)

API = "https://graph.threads.net/v1.0"
USER_ID = "26718293645019283"
THREADS = f"{API}/{USER_ID}/threads"
SNOW = "18047362519283746"  # the post with replies
LIBRARY = "18039182736450192"  # a post without replies
PLAYGROUND = "18018273645019284"  # a carousel on the second page
REPOST = "18021928374650193"
GRETA = "18062938475610293"  # a reply to the post
OURS = "18063019283746510"  # the account's answer to Greta
THANKS = "18063192837465019"  # Greta's reply to the answer
HIDDEN = "18064102938475611"  # a reply hidden on Threads
CONVERSATION = f"{API}/{SNOW}/conversation"


def after(path: str) -> str:
    return str(payload(path)["paging"]["cursors"]["after"])


def mount_account(router: Any) -> dict[str, Any]:
    """Routes for a whole walk: two pages of posts (and the empty page after them), two pages of the
    snow post's conversation (and the empty page after them)."""
    return {
        "threads_p3": router.get(
            THREADS, params={"after": after("threads/graph-api/user_threads_p2.json")}
        ).respond(json={"data": []}),
        "threads_p2": router.get(
            THREADS, params={"after": after("threads/graph-api/user_threads_p1.json")}
        ).respond(json=payload("threads/graph-api/user_threads_p2.json")),
        "threads_p1": router.get(THREADS).respond(json=payload("threads/graph-api/user_threads_p1.json")),
        "conversation_p3": router.get(
            CONVERSATION, params={"after": after("threads/graph-api/conversation_p2.json")}
        ).respond(json={"data": [], "paging": {}}),
        "conversation_p2": router.get(
            CONVERSATION, params={"after": after("threads/graph-api/conversation_p1.json")}
        ).respond(json=payload("threads/graph-api/conversation_p2.json")),
        "conversation_p1": router.get(CONVERSATION).respond(
            json=payload("threads/graph-api/conversation_p1.json")
        ),
        "images": images(router),
    }


@pytest.fixture
def vara_threads(people: dict[str, Any]) -> Account:
    return connect("threads", "threads.net/@varakommun", USER_ID, **people)


def test_every_post_and_reply_is_captured_with_its_parent_author_text_and_time(
    vara_threads: Account, httpx2_mock: Any
) -> None:
    routes = mount_account(httpx2_mock)
    succeeded(vara_threads)
    items = archived(vara_threads)
    snow = items[SNOW]
    assert snow.kind == Kind.POST and snow.direction == Direction.DRAWN_UP
    assert snow.published_at == utc(2025, 1, 14, 5, 50, 12)
    assert latest_text(snow).startswith("Snöröjningen pågår i hela kommunen ❄️")
    assert snow.url == "https://www.threads.net/@varakommun/post/DEr7kQzNx2p"
    greta = items[GRETA]
    assert greta.kind == Kind.COMMENT and greta.parent_object_id == SNOW
    assert greta.direction == Direction.RECEIVED and greta.author_handle == "greta.svensson"
    assert latest_text(greta) == "När plogas Vallgatan? Vi har inte kommit ut med bilen sedan i går."
    assert greta.published_at == utc(2025, 1, 14, 7, 12, 31)
    ours = items[OURS]
    assert ours.kind == Kind.REPLY and ours.parent_object_id == GRETA
    assert ours.direction == Direction.DRAWN_UP
    assert items[THANKS].kind == Kind.REPLY and items[THANKS].parent_object_id == OURS
    assert routes["threads_p1"].calls.last.request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_a_reply_hidden_on_threads_is_captured_and_says_it_is_hidden(
    vara_threads: Account, httpx2_mock: Any
) -> None:
    mount_account(httpx2_mock)
    succeeded(vara_threads)
    hidden = archived(vara_threads)[HIDDEN]
    assert hidden.kind == Kind.COMMENT and latest_text(hidden).startswith("Typiskt kommunen")
    assert hidden.versions.get().metadata["hide_status"] == "HIDDEN"
    assert [a.content_type for a in hidden.versions.get().attachments.all()] == ["image/jpeg"]


def test_posts_and_conversations_are_read_across_their_pages_and_only_posts_with_replies_are_asked(
    vara_threads: Account, httpx2_mock: Any
) -> None:
    routes = mount_account(httpx2_mock)
    succeeded(vara_threads)
    items = archived(vara_threads)
    assert [
        routes[n].call_count for n in ("threads_p2", "threads_p3", "conversation_p2", "conversation_p3")
    ] == [
        1,
        1,
        1,
        1,
    ]
    # 3 posts of the account (the repost of someone else's post is not its content), 4 replies.
    assert set(items) == {SNOW, LIBRARY, PLAYGROUND, GRETA, OURS, THANKS, HIDDEN}
    assert REPOST not in items
    called = {str(call.request.url.path) for call in httpx2_mock.calls}
    assert f"/v1.0/{LIBRARY}/conversation" not in called, "a post without replies is not asked for them"


def test_every_image_of_a_carousel_is_kept_and_a_video_by_its_thumbnail(
    vara_threads: Account, httpx2_mock: Any
) -> None:
    mount_account(httpx2_mock)
    succeeded(vara_threads)
    playground = archived(vara_threads)[PLAYGROUND].versions.get()
    assert [a.name for a in playground.attachments.order_by("position")] == [
        "470112233_lekplats_1_n.jpg",
        "470112234_lekplats_2_n.jpg",
    ]


def test_a_text_changed_on_threads_is_kept_as_a_new_version_beside_the_first(
    vara_threads: Account, httpx2_mock: Any
) -> None:
    routes = mount_account(httpx2_mock)
    succeeded(vara_threads)
    first = payload("threads/graph-api/conversation_p1.json")
    edited = derived(first)
    edited["data"][0]["text"] = "När plogas Vallgatan? Vi har inte kommit ut med bilen sedan i förrgår."
    routes["conversation_p1"].respond(json=edited)
    succeeded(vara_threads)
    versions = list(archived(vara_threads)[GRETA].versions.order_by("number"))
    assert [v.text.endswith(end) for v, end in zip(versions, ("i går.", "i förrgår."), strict=True)] == [
        True,
        True,
    ]
    assert versions[1].edited_at is None, "Threads does not say when a text was edited"
    succeeded(vara_threads)
    assert archived(vara_threads)[GRETA].versions.count() == 2, "reading the same text again adds none"


def test_a_walk_since_the_last_stops_at_posts_older_than_it(vara_threads: Account, httpx2_mock: Any) -> None:
    routes = mount_account(httpx2_mock)
    succeeded(vara_threads)
    Connection.objects.filter(account=vara_threads).update(captured_until=utc(2025, 1, 27))
    succeeded(vara_threads)
    # The second walk reads from 13 January (the fortnight's lookback): the first page holds a post
    # older than that, so the second page is not asked for again.
    assert routes["threads_p2"].call_count == 1


def test_an_expired_token_tells_comms_in_swedish_to_reconnect(
    vara_threads: Account, httpx2_mock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    httpx2_mock.get(THREADS).mock(
        return_value=httpx.Response(400, json=payload("facebook/graph-api/error_190_expired_token.json"))
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = engine.sync(vara_threads)
    told_comms_to_reconnect(vara_threads, run)
    assert "Threads: (190/463)" in connection_of(vara_threads).last_error
    assert mail.outbox[0].subject == "Vara kommun (Threads) behöver anslutas på nytt"


# --- Hiding and showing replies -------------------------------------------------------------------


def target(account: Account, object_id: str) -> Target:
    return Target(account_id=account.pk, platform_slug="threads", object_id=object_id, parent_object_id=SNOW)


def where(router: Any, reply_id: str, replied_to: str) -> Any:
    return router.get(f"{API}/{reply_id}").respond(
        json={"id": reply_id, "root_post": {"id": SNOW}, "replied_to": {"id": replied_to}}
    )


def perform(act: str, aimed: Target) -> None:
    actor = platform_acts.actor_for("threads")
    assert actor is not None
    actor.perform(act, aimed)


def test_the_moderation_queue_hides_and_unhides_threads_replies_through_the_api(db: Any) -> None:
    threads = Platform.objects.get(slug="threads")
    for act in ("hide", "unhide"):
        assert platform_acts.through_api("threads", act, catalogue_acts=threads.moderation_acts)
    assert not platform_acts.through_api("threads", "delete", catalogue_acts=threads.moderation_acts)


def test_a_reply_to_the_post_is_hidden_and_shown_again_with_manage_reply(
    vara_threads: Account, httpx2_mock: Any
) -> None:
    where(httpx2_mock, HIDDEN, SNOW)
    manage = httpx2_mock.post(f"{API}/{HIDDEN}/manage_reply").respond(json={"success": True})
    perform("hide", target(vara_threads, HIDDEN))
    assert manage.calls.last.request.content == b"hide=true"
    assert manage.calls.last.request.headers["Authorization"] == f"Bearer {TOKEN}"
    perform("unhide", target(vara_threads, HIDDEN))
    assert manage.calls.last.request.content == b"hide=false"


def test_a_reply_deeper_down_is_not_sent_and_the_moderator_is_told_what_to_hide_instead(
    vara_threads: Account, httpx2_mock: Any
) -> None:
    where(httpx2_mock, THANKS, OURS)
    manage = httpx2_mock.post(f"{API}/{THANKS}/manage_reply").respond(json={"success": True})
    with translation.override("sv"), pytest.raises(ActFailed) as failed:
        perform("hide", target(vara_threads, THANKS))
    assert "Threads kan bara dölja ett svar direkt på inlägget" in failed.value.message
    assert not failed.value.retryable and not manage.called


def test_an_expired_token_refuses_the_hide_in_swedish_and_marks_the_account_for_reconnection(
    vara_threads: Account, httpx2_mock: Any
) -> None:
    httpx2_mock.get(f"{API}/{HIDDEN}").respond(
        400, json=payload("facebook/graph-api/error_190_expired_token.json")
    )
    with translation.override("sv"), pytest.raises(ActFailed) as failed:
        perform("hide", target(vara_threads, HIDDEN))
    assert failed.value.message == "Plattformen godtar inte längre kontots token: anslut kontot på nytt."
    assert connection_of(vara_threads).status == Connection.Status.NEEDS_RECONNECT


def test_a_reply_removed_from_threads_cannot_be_hidden_and_is_not_retried(
    vara_threads: Account, httpx2_mock: Any
) -> None:
    httpx2_mock.get(f"{API}/{HIDDEN}").respond(
        400,
        json={
            "error": {
                "message": "Unsupported get request. Object with ID '18064102938475611' does not exist.",
                "type": "THApiException",
                "code": 100,
                "error_subcode": 33,
                "fbtrace_id": "A8nZ1lq2yHk3oQx_Vm7pR2c",
            }
        },
    )
    with pytest.raises(ActFailed) as failed:
        perform("hide", target(vara_threads, HIDDEN))
    assert not failed.value.retryable
