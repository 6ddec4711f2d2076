"""Removals everywhere: a full walk that no longer finds a post, comment or reply records it as
removed on the platform at the time of that first miss, keeps every captured row, and archive
search can filter it. Each platform's own walk, on its documented payloads."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from sigill.archive import services as archive_services
from sigill.archive.capture import Capture, Direction, Kind, Source
from sigill.archive.models import Item, ItemFact
from sigill.connectors import sync as engine
from sigill.registry.models import Account
from tests.api.conftest import api_as
from tests.conftest import signed_in_client
from tests.connectors import (
    test_bluesky_sync,
    test_instagram_sync,
    test_linkedin_sync,
    test_mastodon_sync,
    test_threads_sync,
    test_tiktok_sync,
    test_x_sync,
    test_youtube_sync,
)
from tests.connectors.conftest import PAGE_ID, connect, latest_text
from tests.connectors.graph import mount_page
from tests.connectors.walks import people, succeeded

__all__ = ["people"]
pytestmark = pytest.mark.httpx2(assert_all_called=False)


def facebook(people: dict[str, Any]) -> Account:
    return connect("facebook", "facebook.com/varakommun", PAGE_ID, **people)


def instagram(people: dict[str, Any]) -> Account:
    return connect("instagram", "instagram.com/varakommun", test_instagram_sync.IG_USER, **people)


def x(people: dict[str, Any]) -> Account:
    return connect("x", "x.com/varakommun", test_x_sync.USER_ID, **people)


def mastodon(people: dict[str, Any]) -> Account:
    return connect(
        "mastodon",
        "social.vara-kommun.example/@varakommun",
        test_mastodon_sync.ACCOUNT_ID,
        api_base=test_mastodon_sync.BASE,
        **people,
    )


def bluesky(people: dict[str, Any]) -> Account:
    return connect("bluesky", "bsky.app/profile/varakommun.bsky.social", test_bluesky_sync.DID, **people)


def linkedin(people: dict[str, Any]) -> Account:
    return connect("linkedin", "linkedin.com/company/vara-kommun", test_linkedin_sync.ORG, **people)


def youtube(people: dict[str, Any]) -> Account:
    return connect("youtube", "youtube.com/@varakommun", test_youtube_sync.UPLOADS, **people)


def threads(people: dict[str, Any]) -> Account:
    return connect("threads", "threads.net/@varakommun", test_threads_sync.USER_ID, **people)


def tiktok(people: dict[str, Any]) -> Account:
    return connect("tiktok", "tiktok.com/@varabibliotek", test_tiktok_sync.BUSINESS_ID, **people)


def dig(body: Any, path: tuple[Any, ...]) -> list[Any]:
    for key in path:
        body = body[key]
    return body


# platform: (connect, mount the walk, the route whose answer loses one object, where its list is)
WALKS: dict[str, tuple[Callable[..., Account], Callable[[Any], dict[str, Any]], str, tuple[Any, ...]]] = {
    "facebook": (facebook, mount_page, "comments_p2", ("data",)),
    "instagram": (instagram, test_instagram_sync.mount_account, "comments_p2", ("data",)),
    "x": (x, test_x_sync.mount_account, "tweets_p1", ("data",)),
    "mastodon": (mastodon, test_mastodon_sync.mount_instance, "snow_context", ("descendants",)),
    "bluesky": (bluesky, test_bluesky_sync.mount_account, "snow_thread", ("thread", "replies")),
    "linkedin": (linkedin, test_linkedin_sync.mount_organisation, "comments_p2", ("elements",)),
    "youtube": (youtube, test_youtube_sync.mount_channel, "threads_p2", ("items",)),
    "threads": (threads, test_threads_sync.mount_account, "conversation_p2", ("data",)),
    "tiktok": (tiktok, test_tiktok_sync.mount_account, "comments_p2", ("data", "comments")),
}


def walk_without_one(slug: str, people: dict[str, Any], router: Any, settings: Any) -> tuple[Account, Item]:
    """A first full walk captures everything; then one object disappears from the platform's answer.
    Returns the account and the archived item of the object that is gone."""
    make, mount, route_name, path = WALKS[slug]
    settings.CONNECTOR_FULL_WALK_DAYS = 0  # every walk reads everything
    account = make(people)
    routes = mount(router)
    succeeded(account)
    route = routes[route_name]
    body = json.loads(route.return_value.content)
    listed = dig(body, path)
    # X: a post between others the timeline still lists; Mastodon: Saga's reply (the first reply of
    # the thread is also a mention of the account, which the mentions still list).
    index = {"x": 1, "mastodon": 3}.get(slug, 0)
    gone = listed.pop(index)
    route.respond(json=body)
    gone_id = (
        gone.get("uri")
        or (gone.get("post") or {}).get("uri")
        or gone.get("$URN")
        or gone.get("urn")
        or gone.get("comment_id")
        or gone["id"]
    )
    item = Item.objects.filter(account=account, object_id=str(gone_id)).first()
    if item is None:  # LinkedIn names a comment by its URN, Bluesky a reply by its post's URI
        item = Item.objects.get(account=account, object_id__contains=str(gone.get("id") or gone_id))
    return account, item


@pytest.mark.parametrize("slug", list(WALKS))
def test_a_full_walk_records_what_is_gone_from_the_platform_and_keeps_its_text(
    slug: str, people: dict[str, Any], httpx2_mock: Any, settings: Any
) -> None:
    account, gone = walk_without_one(slug, people, httpx2_mock, settings)
    text = latest_text(gone)
    versions = gone.versions.count()
    run = succeeded(account)
    [fact] = gone.facts.all()
    assert fact.fact == ItemFact.Fact.REMOVED_ON_PLATFORM
    assert fact.at >= run.started_at, "the time of the first miss"
    assert latest_text(gone) == text and gone.versions.count() == versions, "the captured rows stay"
    removed = ItemFact.objects.filter(item__account=account, fact=ItemFact.Fact.REMOVED_ON_PLATFORM)
    assert gone.pk in set(removed.values_list("item_id", flat=True))
    assert not removed.filter(item__kind=Kind.MESSAGE).exists()
    assert run.details[engine.REMOVALS] == removed.count()
    # A third walk that still misses it records nothing more.
    succeeded(account)
    assert gone.facts.count() == 1


@pytest.mark.parametrize("slug", ["facebook", "mastodon"])
def test_archive_search_finds_what_was_removed_on_the_platform_and_only_that(
    slug: str, people: dict[str, Any], httpx2_mock: Any, settings: Any
) -> None:
    account, gone = walk_without_one(slug, people, httpx2_mock, settings)
    succeeded(account)
    page = signed_in_client(people["alice"]).get(reverse("archive:search"), {"removed": "yes"})
    html = page.content.decode()
    assert reverse("archive:item", kwargs={"pk": gone.pk}) in html
    kept = Item.objects.filter(account=account).exclude(facts__fact=ItemFact.Fact.REMOVED_ON_PLATFORM).first()
    assert kept is not None and reverse("archive:item", kwargs={"pk": kept.pk}) not in html
    still_there = signed_in_client(people["alice"]).get(reverse("archive:search"), {"removed": "no"})
    assert reverse("archive:item", kwargs={"pk": gone.pk}) not in still_there.content.decode()
    assert reverse("archive:item", kwargs={"pk": kept.pk}) in still_there.content.decode()
    item_page = signed_in_client(people["alice"]).get(reverse("archive:item", kwargs={"pk": gone.pk}))
    fact = gone.facts.get()
    shown = item_page.content.decode()
    assert "Borttagen på plattformen" in shown
    assert f'datetime="{timezone.localtime(fact.at).isoformat()}"' in shown, "with the time of the first miss"


@pytest.mark.parametrize("slug", ["x", "youtube"])
def test_the_api_filters_the_archive_to_what_was_removed_on_the_platform_or_is_still_there(
    slug: str, people: dict[str, Any], httpx2_mock: Any, settings: Any
) -> None:
    account, gone = walk_without_one(slug, people, httpx2_mock, settings)
    succeeded(account)
    api = api_as(people["alice"], scope="read")
    search = reverse("api:archive_search")
    removed = api.get(search, {"account": account.slug, "removed": "true"}).json()["items"]
    assert [(hit["id"], hit["removed_on_platform"]) for hit in removed] == [(gone.pk, True)]
    still_there = api.get(search, {"account": account.slug, "removed": "false"}).json()["items"]
    assert still_there and gone.pk not in {hit["id"] for hit in still_there}
    assert not any(hit["removed_on_platform"] for hit in still_there)
    assert api.get(reverse("api:archive_item", kwargs={"pk": gone.pk})).json()["removed_on_platform"] is True


def test_a_walk_that_reads_only_what_is_new_records_no_removal(
    people: dict[str, Any], httpx2_mock: Any, settings: Any
) -> None:
    account, gone = walk_without_one("facebook", people, httpx2_mock, settings)
    settings.CONNECTOR_FULL_WALK_DAYS = 7
    run = succeeded(account)
    assert run.details.get("full_walk") is None
    assert not gone.facts.exists()
    assert not ItemFact.objects.filter(item__account=account).exists()


def test_x_judges_only_replies_its_recent_search_can_still_find(
    people: dict[str, Any], httpx2_mock: Any, settings: Any
) -> None:
    """The fixture's replies are older than recent search's week: missing from the search, they are
    not judged gone (X would not show them to this walk even if they were still there)."""
    settings.CONNECTOR_FULL_WALK_DAYS = 0
    account = x(people)
    routes = test_x_sync.mount_account(httpx2_mock)
    succeeded(account)
    replies = Item.objects.filter(account=account, kind__in=[Kind.COMMENT, Kind.REPLY])
    assert replies.exists()
    routes["snow_replies"].respond(json={"meta": {"result_count": 0}})
    succeeded(account)
    assert not ItemFact.objects.filter(item__in=replies).exists()


def test_a_comment_that_arrives_by_webhook_while_the_walk_runs_is_not_judged_gone(
    people: dict[str, Any], httpx2_mock: Any, settings: Any
) -> None:
    """The walk has passed the post when the webhook brings a new comment on it: the walk could not
    have seen it, so it is not recorded as removed."""
    settings.CONNECTOR_FULL_WALK_DAYS = 0
    account = facebook(people)
    routes = mount_page(httpx2_mock)
    succeeded(account)
    answer = routes["feed_p2"].return_value

    def feed_while_webhook_arrives(request: Any) -> Any:
        archive_services.capture(
            [
                Capture(
                    account_id=account.pk,
                    platform_id="122146783920571834_999000111222333",
                    kind=Kind.COMMENT,
                    source=Source.WEBHOOK,
                    direction=Direction.RECEIVED,
                    published_at=timezone.now(),
                    text="Nu har plogbilen varit här, tack!",
                    parent_platform_id=f"{PAGE_ID}_122146783920571834",
                )
            ]
        )
        return answer

    routes["feed_p2"].side_effect = feed_while_webhook_arrives
    succeeded(account)
    arrived = Item.objects.get(account=account, object_id="122146783920571834_999000111222333")
    assert not arrived.facts.exists()
