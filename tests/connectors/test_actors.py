"""The platform acts the moderation queue asks for, against each platform's documented endpoint."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import translation

from sigill.connectors.models import Connection
from sigill.core.models import AuditEntry
from sigill.moderation import platform_acts
from sigill.moderation.platform_acts import ActFailed, Target
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.connectors.conftest import TOKEN, connect, connection_of, payload

GRAPH = "https://graph.facebook.com/v21.0"
COMMENT = "122146783920571834_1548273619028374"


@pytest.fixture
def people(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> dict[str, Any]:
    return {"alice": alice, "erik": erik, "bob": bob, "units": units}


def target(account: Account, object_id: str, **more: str) -> Target:
    return Target(account_id=account.pk, platform_slug=account.platform.slug, object_id=object_id, **more)


def perform(slug: str, act: str, aimed: Target) -> None:
    actor = platform_acts.actor_for(slug)
    assert actor is not None, f"no actor registered for {slug}"
    actor.perform(act, aimed)


def test_every_act_the_catalogue_allows_has_an_actor(db: Any) -> None:
    from sigill.registry.models import Platform

    for platform in Platform.objects.all():
        actor = platform_acts.actor_for(platform.slug)
        missing = [act for act in platform.moderation_acts if actor is None or not actor.can(act)]
        assert missing == [], f"{platform.slug}: the catalogue says the API can {missing}, Sigill cannot"


@pytest.mark.parametrize("slug", ["facebook", "instagram", "x", "bluesky", "threads", "tiktok"])
def test_the_platforms_that_can_hide_can_unhide(slug: str, db: Any) -> None:
    actor = platform_acts.actor_for(slug)
    assert actor is not None and actor.can("hide") and actor.can("unhide")


def test_youtube_cannot_unhide_a_comment_it_rejected(db: Any) -> None:
    actor = platform_acts.actor_for("youtube")
    assert actor is not None and actor.can("hide") and not actor.can("unhide")


def test_facebook_hides_and_deletes_a_comment_with_the_page_token(
    vara_page: Account, httpx2_mock: Any
) -> None:
    hide = httpx2_mock.post(f"{GRAPH}/{COMMENT}").respond(json={"success": True})
    delete = httpx2_mock.delete(f"{GRAPH}/{COMMENT}").respond(json={"success": True})
    perform("facebook", "hide", target(vara_page, COMMENT))
    perform("facebook", "delete", target(vara_page, COMMENT))
    assert hide.calls.last.request.content == b"is_hidden=true"
    assert hide.calls.last.request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert delete.called
    assert AuditEntry.objects.filter(act="vault.api_token.opened").count() == 2, "one opening per act"


def test_facebook_shows_a_hidden_comment_again(vara_page: Account, httpx2_mock: Any) -> None:
    route = httpx2_mock.post(f"{GRAPH}/{COMMENT}").respond(json={"success": True})
    perform("facebook", "unhide", target(vara_page, COMMENT))
    assert route.calls.last.request.content == b"is_hidden=false"


def test_a_facebook_page_cannot_block_by_api(vara_page: Account) -> None:
    with pytest.raises(ActFailed) as failed:
        perform("facebook", "block", target(vara_page, COMMENT))
    assert not failed.value.retryable


def test_a_comment_already_gone_is_said_in_swedish_and_not_retried(
    vara_page: Account, httpx2_mock: Any
) -> None:
    httpx2_mock.delete(f"{GRAPH}/{COMMENT}").respond(
        400,
        json={
            "error": {
                "message": "Unsupported delete request.",
                "type": "GraphMethodException",
                "code": 100,
                "error_subcode": 33,
            }
        },
    )
    with translation.override("sv"), pytest.raises(ActFailed) as failed:
        perform("facebook", "delete", target(vara_page, COMMENT))
    assert "inte längre" in failed.value.message and not failed.value.retryable


def test_a_missing_permission_is_a_clear_refusal(vara_page: Account, httpx2_mock: Any) -> None:
    httpx2_mock.post(f"{GRAPH}/{COMMENT}").respond(
        403,
        json={
            "error": {
                "message": "(#200) Requires pages_manage_engagement permission",
                "type": "OAuthException",
                "code": 200,
            }
        },
    )
    with pytest.raises(ActFailed) as failed:
        perform("facebook", "hide", target(vara_page, COMMENT))
    assert "pages_manage_engagement" in failed.value.message and not failed.value.retryable


def test_a_rate_limit_may_be_retried(vara_page: Account, httpx2_mock: Any) -> None:
    httpx2_mock.post(f"{GRAPH}/{COMMENT}").respond(
        400, json=payload("facebook/graph-api/error_32_page_rate_limit.json")
    )
    with pytest.raises(ActFailed) as failed:
        perform("facebook", "hide", target(vara_page, COMMENT))
    assert failed.value.retryable


def test_an_expired_token_refuses_the_act_and_marks_the_account_for_reconnection(
    vara_page: Account, httpx2_mock: Any
) -> None:
    httpx2_mock.post(f"{GRAPH}/{COMMENT}").respond(
        400, json=payload("facebook/graph-api/error_190_expired_token.json")
    )
    with pytest.raises(ActFailed):
        perform("facebook", "hide", target(vara_page, COMMENT))
    assert connection_of(vara_page).status == Connection.Status.NEEDS_RECONNECT


def test_instagram_hides_and_deletes(people: dict[str, Any], httpx2_mock: Any) -> None:
    account = connect("instagram", "instagram.com/varakommun", "17841402837465019", **people)
    hide = httpx2_mock.post(f"{GRAPH}/18093847561029385").respond(json={"success": True})
    httpx2_mock.delete(f"{GRAPH}/18093847561029385").respond(json={"success": True})
    perform("instagram", "hide", target(account, "18093847561029385"))
    assert hide.calls.last.request.content == b"hide=true"
    perform("instagram", "unhide", target(account, "18093847561029385"))
    assert hide.calls.last.request.content == b"hide=false"
    perform("instagram", "delete", target(account, "18093847561029385"))


def test_youtube_rejects_and_bans_with_set_moderation_status(
    people: dict[str, Any], httpx2_mock: Any
) -> None:
    account = connect("youtube", "youtube.com/@varakommun", "UUq7v3Xk2bN9pLr4TzW8yH1a", **people)
    route = httpx2_mock.post("https://www.googleapis.com/youtube/v3/comments/setModerationStatus").respond(
        204
    )
    perform("youtube", "hide", target(account, "UgzuP8vpHPBl0YUGcM7gW4AaABAg"))
    assert dict(route.calls.last.request.url.params) == {
        "id": "UgzuP8vpHPBl0YUGcM7gW4AaABAg",
        "moderationStatus": "rejected",
    }
    perform("youtube", "block", target(account, "UgzuP8vpHPBl0YUGcM7gW4AaABAg"))
    assert route.calls.last.request.url.params["banAuthor"] == "true"
    with pytest.raises(ActFailed):
        perform("youtube", "delete", target(account, "UgzuP8vpHPBl0YUGcM7gW4AaABAg"))


def test_youtube_a_comment_the_author_deleted_is_gone(people: dict[str, Any], httpx2_mock: Any) -> None:
    account = connect("youtube", "youtube.com/@varakommun", "UUq7v3Xk2bN9pLr4TzW8yH1a", **people)
    httpx2_mock.post("https://www.googleapis.com/youtube/v3/comments/setModerationStatus").respond(
        400,
        json={
            "error": {
                "code": 400,
                "message": "processingFailure",
                "errors": [{"domain": "youtube.comment", "reason": "processingFailure"}],
            }
        },
    )
    with pytest.raises(ActFailed) as failed:
        perform("youtube", "hide", target(account, "Ugz"))
    assert not failed.value.retryable


def test_x_hides_a_reply(people: dict[str, Any], httpx2_mock: Any) -> None:
    account = connect("x", "x.com/varakommun", "1189273645019283456", **people)
    route = httpx2_mock.put("https://api.x.com/2/tweets/1879074919543758883/hidden").respond(
        json={"data": {"hidden": True}}
    )
    perform("x", "hide", target(account, "1879074919543758883"))
    assert json.loads(route.calls.last.request.content) == {"hidden": True}
    perform("x", "unhide", target(account, "1879074919543758883"))
    assert json.loads(route.calls.last.request.content) == {"hidden": False}


def test_mastodon_blocks_the_author(people: dict[str, Any], httpx2_mock: Any) -> None:
    base = "https://social.vara-kommun.example"
    account = connect(
        "mastodon", "social.vara-kommun.example/@varakommun", "109876543210987654", api_base=base, **people
    )
    route = httpx2_mock.post(f"{base}/api/v1/accounts/110000000000000042/block").respond(
        json={"id": "110000000000000042", "blocking": True}
    )
    perform(
        "mastodon", "block", target(account, "113825476771885838", author_platform_id="110000000000000042")
    )
    assert route.called
    with pytest.raises(ActFailed):
        perform("mastodon", "hide", target(account, "113825476771885838"))


def test_bluesky_blocks_and_hides_a_reply_in_the_threadgate(people: dict[str, Any], httpx2_mock: Any) -> None:
    did = "did:plc:h5m2mxmvrjfvq74szqq2zpgz"
    account = connect("bluesky", "bsky.app/profile/varakommun.bsky.social", did, **people)
    thread = payload("bluesky/xrpc/getPostThread.json")["thread"]
    reply = thread["replies"][0]["post"]
    pds = "https://bsky.social/xrpc"
    create = httpx2_mock.post(f"{pds}/com.atproto.repo.createRecord").respond(
        json={"uri": "at://x", "cid": "y"}
    )
    httpx2_mock.get(f"{pds}/app.bsky.feed.getPosts").respond(json={"posts": [reply]})
    httpx2_mock.get(f"{pds}/com.atproto.repo.getRecord").respond(
        400, json={"error": "RecordNotFound", "message": "Could not locate record"}
    )
    put = httpx2_mock.post(f"{pds}/com.atproto.repo.putRecord").respond(json={"uri": "at://x", "cid": "y"})
    perform("bluesky", "block", target(account, reply["uri"], author_platform_id=reply["author"]["did"]))
    body = json.loads(create.calls.last.request.content)
    assert body["repo"] == did and body["record"]["subject"] == reply["author"]["did"]
    perform("bluesky", "hide", target(account, reply["uri"]))
    gate = json.loads(put.calls.last.request.content)
    assert (
        gate["collection"] == "app.bsky.feed.threadgate"
        and gate["rkey"] == thread["post"]["uri"].rsplit("/", 1)[-1]
    )
    assert (
        gate["record"]["hiddenReplies"] == [reply["uri"]] and gate["record"]["post"] == thread["post"]["uri"]
    )


def test_bluesky_unhides_by_taking_the_reply_out_of_the_threadgate(
    people: dict[str, Any], httpx2_mock: Any
) -> None:
    did = "did:plc:h5m2mxmvrjfvq74szqq2zpgz"
    account = connect("bluesky", "bsky.app/profile/varakommun.bsky.social", did, **people)
    thread = payload("bluesky/xrpc/getPostThread.json")["thread"]
    reply, other = thread["replies"][0]["post"], thread["replies"][2]["post"]
    pds = "https://bsky.social/xrpc"
    httpx2_mock.get(f"{pds}/app.bsky.feed.getPosts").respond(json={"posts": [reply]})
    gate = {
        "$type": "app.bsky.feed.threadgate",
        "post": thread["post"]["uri"],
        "createdAt": "2025-01-14T09:00:00.000Z",
        "hiddenReplies": [other["uri"], reply["uri"]],
    }
    httpx2_mock.get(f"{pds}/com.atproto.repo.getRecord").respond(json={"uri": "at://g", "value": gate})
    put = httpx2_mock.post(f"{pds}/com.atproto.repo.putRecord").respond(json={"uri": "at://g", "cid": "y"})
    perform("bluesky", "unhide", target(account, reply["uri"]))
    record = json.loads(put.calls.last.request.content)["record"]
    assert record["hiddenReplies"] == [other["uri"]], "only this reply is shown again"
    assert record["createdAt"] == "2025-01-14T09:00:00.000Z", "the gate is the same record, changed"


LINKEDIN_POST = "urn:li:share:7341288374650192838"
LINKEDIN_COMMENT = "urn:li:comment:(urn:li:activity:7341288375082108928,7341301928374650193)"


def test_linkedin_deletes_a_comment_as_the_organisation(people: dict[str, Any], httpx2_mock: Any) -> None:
    account = connect("linkedin", "linkedin.com/company/vara-kommun", "10293847", **people)
    route = httpx2_mock.delete(
        "https://api.linkedin.com/rest/socialActions/urn%3Ali%3Ashare%3A7341288374650192838/comments/7341301928374650193"
    ).respond(204)
    perform("linkedin", "delete", target(account, LINKEDIN_COMMENT, parent_object_id=LINKEDIN_POST))
    request = route.calls.last.request
    assert request.url.params["actor"] == "urn:li:organization:10293847"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}" and request.headers["LinkedIn-Version"]
    with pytest.raises(ActFailed):
        perform("linkedin", "hide", target(account, LINKEDIN_COMMENT, parent_object_id=LINKEDIN_POST))


def test_linkedin_refusing_to_delete_a_members_comment_is_a_clear_refusal(
    people: dict[str, Any], httpx2_mock: Any
) -> None:
    account = connect("linkedin", "linkedin.com/company/vara-kommun", "10293847", **people)
    httpx2_mock.delete(url__regex=r"^https://api\.linkedin\.com/rest/socialActions/").respond(
        403,
        json={"status": 403, "serviceErrorCode": 100, "message": "Not enough permissions to access: DELETE"},
    )
    with pytest.raises(ActFailed) as failed:
        perform("linkedin", "delete", target(account, LINKEDIN_COMMENT, parent_object_id=LINKEDIN_POST))
    assert "Not enough permissions" in failed.value.message and not failed.value.retryable


def test_an_account_without_a_connection_is_acted_on_by_hand(people: dict[str, Any]) -> None:
    from sigill.registry import services as registry_services
    from tests.registry.fixtures import account_data

    account = registry_services.create_account(
        data=account_data(
            people["units"]["bibliotek"], url="facebook.com/varabibliotek", platform="facebook"
        ),
        by=people["alice"],
    )
    with translation.override("sv"), pytest.raises(ActFailed, match="för hand"):
        perform("facebook", "hide", target(account, COMMENT))
