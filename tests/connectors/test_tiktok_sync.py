"""TikTok: a sync walks the business account's videos (paged by cursor), every comment on them,
hidden ones too, and their replies (inline, and the rest from the reply list); the moderation
queue hides and shows comments through ``business/comment/hide/``.

The answers are TikTok API for Business v1.3's documented shapes (tests/fixtures/tiktok/business-api/).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from django.utils import translation

from sigill.archive.capture import Direction, Kind
from sigill.connectors import sync as engine
from sigill.connectors.models import CaptureRun, Connection
from sigill.moderation import platform_acts
from sigill.moderation.platform_acts import ActFailed, Target
from sigill.registry.models import Account, Platform
from tests.connectors.conftest import JPEG, TOKEN, archived, connect, connection_of, latest_text, payload
from tests.connectors.walks import derived, people, succeeded, utc

__all__ = ["people"]
pytestmark = pytest.mark.httpx2(assert_all_called=False)

API = "https://business-api.tiktok.com/open_api/v1.3"
BUSINESS_ID = "-000vKxHq3n2RZpT8mWcL5bYdJ4gFs7aE1uN"
VIDEOS = f"{API}/business/video/list/"
COMMENTS = f"{API}/business/comment/list/"
REPLIES = f"{API}/business/comment/reply/list/"
HIDE = f"{API}/business/comment/hide/"
STORY = "7459382716405923106"  # the video with comments over two pages
SUNDAYS = "7458001927364510321"  # a video without comments
NEW_YEAR = "7455019283746501122"  # the video on the second page
LINNEA = "7459390112837465019"  # a comment with four replies, three of them inline
OURS = "7459402938475610293"  # the account's answer to Linnea
EVA = "7459431928374650134"  # the reply that is not inline: read from the reply list
HIDDEN = "7459425019283746512"  # a comment hidden on TikTok
SARA = "7459507182930465123"  # a comment on the second page


def mount_account(router: Any) -> dict[str, Any]:
    """Routes for a whole walk: two pages of videos, two pages of comments on the story video with
    the rest of Linnea's replies, the new year video's comment, and the thumbnails."""
    videos = payload("tiktok/business-api/video_list_p1.json")
    comments = payload("tiktok/business-api/comment_list_p1.json")
    return {
        "videos_p2": router.get(VIDEOS, params={"cursor": str(videos["data"]["cursor"])}).respond(
            json=payload("tiktok/business-api/video_list_p2.json")
        ),
        "videos_p1": router.get(VIDEOS).respond(json=videos),
        "comments_p2": router.get(
            COMMENTS, params={"video_id": STORY, "cursor": str(comments["data"]["cursor"])}
        ).respond(json=payload("tiktok/business-api/comment_list_p2.json")),
        "comments_p1": router.get(COMMENTS, params={"video_id": STORY}).respond(json=comments),
        "new_year": router.get(COMMENTS, params={"video_id": NEW_YEAR}).respond(
            json=payload("tiktok/business-api/comment_list_new_year.json")
        ),
        "replies": router.get(REPLIES, params={"comment_id": LINNEA}).respond(
            json=payload("tiktok/business-api/reply_list.json")
        ),
        "thumbnails": router.get(url__regex=r"^https://p16-sign-va\.tiktokcdn\.com/").respond(
            content=JPEG, headers={"Content-Type": "image/jpeg"}
        ),
    }


@pytest.fixture
def vara_tiktok(people: dict[str, Any]) -> Account:
    return connect(
        "tiktok", "tiktok.com/@varabibliotek", BUSINESS_ID, display_name="Vara bibliotek", **people
    )


def test_every_video_comment_and_reply_is_captured_with_its_parent_author_text_and_time(
    vara_tiktok: Account, httpx2_mock: Any
) -> None:
    routes = mount_account(httpx2_mock)
    succeeded(vara_tiktok)
    items = archived(vara_tiktok)
    story = items[STORY]
    assert story.kind == Kind.POST and story.direction == Direction.DRAWN_UP
    assert story.published_at == utc(2025, 1, 15, 8, 40)
    assert latest_text(story).startswith("Sagostund på biblioteket varje onsdag kl 10 📚")
    linnea = items[LINNEA]
    assert linnea.kind == Kind.COMMENT and linnea.parent_object_id == STORY
    assert linnea.direction == Direction.RECEIVED
    assert (linnea.author_handle, linnea.author_platform_id) == (
        "linnea.berg",
        "b7c1e0f4-3a2d-4e8f-9b61-2f0d8c7a5e31",
    )
    assert latest_text(linnea) == "Finns det sagostund i Kvänum också? 🥹"
    assert linnea.published_at == utc(2025, 1, 15, 9, 5, 12)
    ours = items[OURS]
    assert (
        ours.kind == Kind.REPLY and ours.parent_object_id == LINNEA and ours.direction == Direction.DRAWN_UP
    )
    assert items[EVA].kind == Kind.REPLY and items[EVA].parent_object_id == LINNEA
    request = routes["videos_p1"].calls.last.request
    assert request.headers["Access-Token"] == TOKEN and "Authorization" not in request.headers
    assert json.loads(request.url.params["fields"])[:2] == ["item_id", "create_time"]


def test_a_comment_hidden_on_tiktok_is_captured_and_says_it_is_hidden(
    vara_tiktok: Account, httpx2_mock: Any
) -> None:
    routes = mount_account(httpx2_mock)
    succeeded(vara_tiktok)
    hidden = archived(vara_tiktok)[HIDDEN]
    assert latest_text(hidden) == "Köp fler mangaböcker istället för det här tramset"
    assert hidden.versions.get().metadata["status"] == "HIDDEN"
    assert routes["comments_p1"].calls.last.request.url.params["status"] == "ALL", "hidden ones are asked for"


def test_videos_comments_and_replies_are_read_across_their_pages_without_asking_twice(
    vara_tiktok: Account, httpx2_mock: Any
) -> None:
    routes = mount_account(httpx2_mock)
    succeeded(vara_tiktok)
    items = archived(vara_tiktok)
    assert [routes[n].call_count for n in ("videos_p2", "comments_p2", "replies", "new_year")] == [1, 1, 1, 1]
    # 3 videos; on the story video 3 comments and 4 replies (3 inline, read again in the reply
    # list, which adds Eva's), on the new year video 1 comment.
    assert len(items) == 3 + 3 + 4 + 1
    assert items[SARA].parent_object_id == STORY
    asked = [
        call.request.url.params["video_id"]
        for call in httpx2_mock.calls
        if call.request.url.path.endswith("comment/list/")
    ]
    assert SUNDAYS not in asked, "a video without comments is not asked for them"


def test_a_video_is_kept_by_its_thumbnail_and_its_comments_link_to_it(
    vara_tiktok: Account, httpx2_mock: Any
) -> None:
    mount_account(httpx2_mock)
    succeeded(vara_tiktok)
    story = archived(vara_tiktok)[STORY]
    [thumbnail] = story.versions.get().attachments.all()
    assert (thumbnail.name, thumbnail.content_type) == (
        "oQx2AEfBCdgIDkeAYnRFBfmCTzIAgAIbh9EqGe.jpeg",
        "image/jpeg",
    )
    assert archived(vara_tiktok)[LINNEA].url == story.url
    assert story.url.startswith(f"https://www.tiktok.com/@varabibliotek/video/{STORY}")


def test_a_second_sync_of_the_same_account_adds_nothing_and_a_changed_caption_is_a_new_version(
    vara_tiktok: Account, httpx2_mock: Any
) -> None:
    routes = mount_account(httpx2_mock)
    succeeded(vara_tiktok)
    count = len(archived(vara_tiktok))
    first = payload("tiktok/business-api/video_list_p1.json")
    edited = derived(first)
    edited["data"]["videos"][0]["caption"] = "Sagostund på biblioteket varje onsdag kl 10.30 📚"
    routes["videos_p1"].respond(json=edited)
    succeeded(vara_tiktok)
    assert len(archived(vara_tiktok)) == count, "the same videos and comments are the same items"
    versions = list(archived(vara_tiktok)[STORY].versions.order_by("number"))
    assert len(versions) == 2
    assert "onsdag kl 10 📚" in versions[0].text and "onsdag kl 10.30 📚" in versions[1].text
    assert versions[1].edited_at is None, "TikTok does not say when a caption was edited"


def test_a_rate_limit_pauses_the_walk_and_the_next_run_resumes_from_the_cursor(
    vara_tiktok: Account, httpx2_mock: Any
) -> None:
    routes = mount_account(httpx2_mock)
    limited = httpx.Response(
        200, json={"code": 40100, "message": "Too many requests.", "request_id": "2025x"}
    )
    routes["comments_p2"].side_effect = [limited, routes["comments_p2"].return_value]
    run = engine.sync(vara_tiktok)
    assert run is not None and run.outcome == CaptureRun.Outcome.PAUSED
    assert "(40100) Too many requests." in connection_of(vara_tiktok).last_error
    assert connection_of(vara_tiktok).cursor["queue"], "the walk keeps its place"
    succeeded(vara_tiktok)
    assert routes["videos_p1"].call_count == 1 and len(archived(vara_tiktok)) == 11


def test_an_error_tiktok_reports_with_http_200_is_not_taken_for_an_empty_answer(
    vara_tiktok: Account, httpx2_mock: Any
) -> None:
    httpx2_mock.get(VIDEOS).respond(
        json={
            "code": 40001,
            "message": "No permission to operate this business account.",
            "request_id": "2025y",
        }
    )
    run = engine.sync(vara_tiktok)
    assert run is not None and run.outcome == CaptureRun.Outcome.FAILED
    assert "(40001) No permission" in run.error and archived(vara_tiktok) == {}


# --- Hiding and showing comments ------------------------------------------------------------------


def aimed_at(account: Account, object_id: str) -> Target:
    item = archived(account)[object_id]
    return Target(
        account_id=account.pk,
        platform_slug="tiktok",
        object_id=item.object_id,
        parent_object_id=item.parent_object_id,
        url=item.url,
    )


def perform(act: str, aimed: Target) -> None:
    actor = platform_acts.actor_for("tiktok")
    assert actor is not None
    actor.perform(act, aimed)


def test_the_moderation_queue_hides_and_unhides_tiktok_comments_through_the_api_but_deletes_by_hand(
    db: Any,
) -> None:
    tiktok = Platform.objects.get(slug="tiktok")
    for act in ("hide", "unhide"):
        assert platform_acts.through_api("tiktok", act, catalogue_acts=tiktok.moderation_acts)
    assert not platform_acts.through_api("tiktok", "delete", catalogue_acts=tiktok.moderation_acts)


def test_a_comment_and_a_reply_are_hidden_and_shown_again_on_their_video(
    vara_tiktok: Account, httpx2_mock: Any
) -> None:
    mount_account(httpx2_mock)
    succeeded(vara_tiktok)
    route = httpx2_mock.post(HIDE).respond(json=payload("tiktok/business-api/comment_hide_ok.json"))
    perform("hide", aimed_at(vara_tiktok, HIDDEN))
    assert json.loads(route.calls.last.request.content) == {
        "business_id": BUSINESS_ID,
        "video_id": STORY,
        "comment_id": HIDDEN,
        "action": "HIDE",
    }
    assert route.calls.last.request.headers["Access-Token"] == TOKEN
    perform("unhide", aimed_at(vara_tiktok, EVA))
    body = json.loads(route.calls.last.request.content)
    assert (body["video_id"], body["comment_id"], body["action"]) == (STORY, EVA, "UNHIDE"), (
        "a reply is hidden on its video, not on its parent comment"
    )


def test_a_hide_refused_by_tiktok_is_a_clear_refusal_in_swedish(
    vara_tiktok: Account, httpx2_mock: Any
) -> None:
    mount_account(httpx2_mock)
    succeeded(vara_tiktok)
    httpx2_mock.post(HIDE).respond(
        json={"code": 40002, "message": "Comment does not belong to the video.", "request_id": "2025z"}
    )
    with translation.override("sv"), pytest.raises(ActFailed) as failed:
        perform("hide", aimed_at(vara_tiktok, HIDDEN))
    assert failed.value.message.startswith("Plattformen nekade åtgärden")
    assert (
        "(40002) Comment does not belong to the video." in failed.value.message and not failed.value.retryable
    )


def test_an_expired_token_refuses_the_hide_in_swedish_and_marks_the_account_for_reconnection(
    vara_tiktok: Account, httpx2_mock: Any
) -> None:
    httpx2_mock.post(HIDE).respond(json=payload("tiktok/business-api/error_40105_invalid_token.json"))
    with translation.override("sv"), pytest.raises(ActFailed) as failed:
        perform(
            "hide",
            Target(
                account_id=vara_tiktok.pk, platform_slug="tiktok", object_id=HIDDEN, parent_object_id=STORY
            ),
        )
    assert failed.value.message == "Plattformen godtar inte längre kontots token: anslut kontot på nytt."
    assert connection_of(vara_tiktok).status == Connection.Status.NEEDS_RECONNECT
