"""LinkedIn: a sync walks the organisation's posts (offset paging), their images, the comments and
the comments on comments."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import unquote

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

HOST = "https://api.linkedin.com"
ORG = "10293847"
SUMMER_JOBS = "urn:li:share:7341288374650192838"  # an article, edited
FAIRTRADE = "urn:li:ugcPost:7333571029384756103"  # two images
TORGGATAN = "urn:li:share:7302391847561029385"  # one image
OLDER = "urn:li:share:7290000000000000001"  # derived: the second page of posts
ANNA = "urn:li:comment:(urn:li:activity:7341288375082108928,7341301928374650193)"
ORG_REPLY = "urn:li:comment:(urn:li:activity:7341288375082108928,7341310293847561029)"
THIRD = "urn:li:comment:(urn:li:activity:7341288375082108928,7341309999999999999)"  # derived: page 2


def encoded(urn: str) -> str:
    return re.escape(urn.replace(":", "%3A").replace("(", "%28").replace(")", "%29").replace(",", "%2C"))


def images_api(request: httpx.Request) -> httpx.Response:
    """The Images API's batch get (Rest.li 2.0, as documented; the shared fixtures have no sample):
    each image URN asked for, with its download address on LinkedIn's media host."""
    asked = unquote(re.search(r"ids=List\((.*)\)", unquote(str(request.url)))[1]).split(",")  # type: ignore[index]
    results = {
        urn: {
            "id": urn,
            "owner": f"urn:li:organization:{ORG}",
            "status": "AVAILABLE",
            "downloadUrlExpiresAt": 1750403100000,
            "downloadUrl": f"https://media.licdn.com/dms/image/v2/{urn.rsplit(':', 1)[-1]}/feedshare-shrink_2048_1536/0/1750316700000?e=1750403100&v=beta",
        }
        for urn in asked
    }
    return httpx.Response(200, json={"results": results, "statuses": dict.fromkeys(asked, 200), "errors": {}})


def mount_organisation(router: Any) -> dict[str, Any]:
    """Routes for a whole walk of the organisation's page."""
    posts = payload("linkedin/rest-api/posts_by_author_p1.json")
    torggatan = next(p for p in posts["elements"] if p["id"] == TORGGATAN)
    older = derived(
        torggatan, id=OLDER, createdAt=1738400000000, publishedAt=1738400000000, lastModifiedAt=1738400000000
    )
    comments = payload("linkedin/rest-api/comments_p1.json")
    third = derived(
        comments["elements"][1],
        id="7341309999999999999",
        commentUrn=THIRD,
        created={"actor": "urn:li:person:Qw3Er5Ty7u", "time": 1750321000000},
        lastModified={"actor": "urn:li:person:Qw3Er5Ty7u", "time": 1750321000000},
        actor="urn:li:person:Qw3Er5Ty7u",
    )
    third["$URN"] = THIRD
    return {
        "posts_p2": router.get(f"{HOST}/rest/posts", params={"start": "3"}).respond(
            json={"paging": {"start": 3, "count": 3, "links": [], "total": 4}, "elements": [older]}
        ),
        "posts_p1": router.get(f"{HOST}/rest/posts").respond(json=posts),
        "images_api": router.get(url__regex=rf"^{HOST}/rest/images\?ids=List").mock(side_effect=images_api),
        "comments_p2": router.get(
            f"{HOST}/rest/socialActions/urn%3Ali%3Aactivity%3A7341288375082108928/comments",
            params={"start": "2"},
        ).respond(json={"paging": {"start": 2, "count": 2, "links": [], "total": 3}, "elements": [third]}),
        "comments_p1": router.get(
            f"{HOST}/rest/socialActions/urn%3Ali%3Ashare%3A7341288374650192838/comments"
        ).respond(json=comments),
        "replies": router.get(url__regex=rf"^{HOST}/rest/socialActions/{encoded(ANNA)}/comments").respond(
            json=payload("linkedin/rest-api/comments_on_comment.json")
        ),
        "no_comments": router.get(url__regex=rf"^{HOST}/rest/socialActions/.*/comments").respond(
            json={"paging": {"start": 0, "count": 50, "links": [], "total": 0}, "elements": []}
        ),
        "images": images(router),
    }


@pytest.fixture
def vara_linkedin(people: dict[str, Any]) -> Account:
    return connect("linkedin", "linkedin.com/company/vara-kommun", ORG, **people)


def test_every_post_comment_and_reply_is_captured_with_its_parent_author_text_and_time(
    vara_linkedin: Account, httpx2_mock: Any
) -> None:
    routes = mount_organisation(httpx2_mock)
    succeeded(vara_linkedin)
    request = routes["posts_p1"].calls.last.request
    assert request.headers["LinkedIn-Version"] and request.headers["X-Restli-Protocol-Version"] == "2.0.0"
    items = archived(vara_linkedin)
    post = items[SUMMER_JOBS]
    assert post.kind == Kind.POST and post.direction == Direction.DRAWN_UP
    assert post.author_platform_id == f"urn:li:organization:{ORG}"
    assert latest_text(post).startswith("Vi söker sommarvikarier till äldreomsorgen! ☀️")
    assert latest_text(post).endswith("#äldreomsorg #sommarjobb") and "\\(" not in latest_text(post)
    assert post.published_at == utc(2025, 6, 19, 7, 5)
    assert post.versions.get().edited_at == dt.datetime(2025, 6, 19, 9, 5, 0, 123000, tzinfo=dt.UTC)
    anna = items[ANNA]
    assert anna.kind == Kind.COMMENT and anna.parent_object_id == SUMMER_JOBS
    assert anna.author_platform_id == "urn:li:person:aB3dE9fGh2" and anna.direction == Direction.RECEIVED
    assert latest_text(anna).startswith("Vad roligt! Jag jobbade på Solgården förra sommaren")
    assert anna.published_at == utc(2025, 6, 19, 7, 40, 12)
    reply = items[ORG_REPLY]
    assert (
        reply.kind == Kind.REPLY and reply.parent_object_id == ANNA and reply.direction == Direction.DRAWN_UP
    )
    assert reply.author_platform_id == f"urn:li:organization:{ORG}"
    assert reply.versions.get().metadata["agent"] == "urn:li:person:Hk5Jd8Ls0p", (
        "who wrote for the organisation"
    )
    assert latest_text(reply) == "Tack Anna, vad glada vi blir! 😊 Välkommen tillbaka i sommar."
    assert reply.published_at == utc(2025, 6, 19, 8, 15, 40)
    edited = items["urn:li:comment:(urn:li:activity:7341288375082108928,7341305019283746501)"].versions.get()
    assert edited.edited_at == utc(2025, 6, 19, 8, 5, 55)


def test_the_images_of_posts_are_kept_as_attachments(vara_linkedin: Account, httpx2_mock: Any) -> None:
    routes = mount_organisation(httpx2_mock)
    succeeded(vara_linkedin)
    items = archived(vara_linkedin)
    fairtrade = items[FAIRTRADE].versions.get()
    assert [a.content_type for a in fairtrade.attachments.all()] == ["image/jpeg", "image/jpeg"]
    assert items[TORGGATAN].versions.get().attachments.count() == 1
    article = items[SUMMER_JOBS].versions.get()
    assert article.attachments.count() == 0, "a link is kept as the link, like on Facebook"
    assert article.metadata["content"]["article"]["source"] == "https://www.vara-kommun.example/jobb/sommar"
    downloaded = {str(c.request.url).split("?")[0] for c in routes["images"].calls}
    assert any("D4E10AQVEj0EzfWiyrajOJY" in url for url in downloaded)


def test_posts_and_comments_are_read_across_their_pages(vara_linkedin: Account, httpx2_mock: Any) -> None:
    routes = mount_organisation(httpx2_mock)
    succeeded(vara_linkedin)
    items = archived(vara_linkedin)
    assert routes["posts_p2"].call_count == 1 and routes["comments_p2"].call_count == 1
    assert items[OLDER].published_at == dt.datetime.fromtimestamp(1738400000, dt.UTC)
    assert items[THIRD].parent_object_id == SUMMER_JOBS and items[THIRD].kind == Kind.COMMENT
    # 4 posts, 3 comments on two pages, 1 comment on a comment.
    assert len(items) == 8


def test_a_rate_limit_waits_an_hour_and_the_next_run_resumes(
    vara_linkedin: Account, httpx2_mock: Any
) -> None:
    routes = mount_organisation(httpx2_mock)
    limited = httpx.Response(
        429,
        json={
            "status": 429,
            "message": "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
        },
    )
    routes["comments_p1"].side_effect = [limited, routes["comments_p1"].return_value]
    run = engine.sync(vara_linkedin)
    assert paused_until(vara_linkedin, run) >= dt.datetime.now(dt.UTC) + dt.timedelta(minutes=59)
    connection = connection_of(vara_linkedin)
    assert connection.status == Connection.Status.FAILING and "DAY limit" in connection.last_error
    succeeded(vara_linkedin)
    assert routes["posts_p1"].call_count == 1, "the cursor was kept"
    assert len(archived(vara_linkedin)) == 8


def test_an_image_the_images_api_cannot_give_leaves_the_post_captured_without_it(
    vara_linkedin: Account, httpx2_mock: Any
) -> None:
    routes = mount_organisation(httpx2_mock)
    routes["images_api"].side_effect = None
    routes["images_api"].respond(404, json={"status": 404, "message": "Not Found"})
    succeeded(vara_linkedin)
    fairtrade = archived(vara_linkedin)[FAIRTRADE]
    assert latest_text(fairtrade).startswith("Tack @Vara Gymnasium")
    assert fairtrade.versions.get().attachments.count() == 0
