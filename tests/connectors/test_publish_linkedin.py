"""Publishing on a LinkedIn organisation page through the outbox, against the versioned REST API's
documented shapes (``/rest/images?action=initializeUpload``, ``/rest/posts``,
``/rest/socialActions/{urn}/comments``): a post with an image and its alternative text in the little
text format, a reply to a member's comment, and a post LinkedIn made without confirming it, found
and not posted again."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from django.conf import settings

from sigill.archive import services as archive
from sigill.archive.capture import Author, Direction, Kind
from sigill.archive.models import Item
from sigill.connectors import services
from sigill.connectors.models import Outgoing
from sigill.connectors.platforms.linkedin import little_text
from sigill.connectors.publish import outbox
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.connectors.conftest import JPEG, TOKEN, connect
from tests.connectors.residents import a_comment

pytestmark = pytest.mark.httpx2(assert_all_called=False)
ORG = "10293847"
ORG_URN = f"urn:li:organization:{ORG}"


def ms() -> int:
    return int(dt.datetime.now(dt.UTC).timestamp() * 1000)


class FakeLinkedIn:
    def __init__(self) -> None:
        self.posts: dict[str, dict[str, Any]] = {}
        self.comments: list[dict[str, Any]] = []
        self.images: dict[str, bytes] = {}
        self.created: list[dict[str, Any]] = []
        self.lose_next = 0
        self.ids = itertools.count(7341400000000000001)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "www.linkedin.com":  # the upload address
            self.images[request.url.params["image"]] = request.read()
            return httpx.Response(201)
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        assert request.headers["LinkedIn-Version"] == settings.LINKEDIN_API_VERSION
        path = unquote(request.url.path)
        if request.method == "POST" and path == "/rest/images":
            urn = f"urn:li:image:C4E10AQ{next(self.ids)}"
            upload = f"https://www.linkedin.com/dms-uploads/sp/v2/upload?image={urn}"
            return httpx.Response(
                200,
                json={"value": {"uploadUrlExpiresAt": ms() + 86400000, "uploadUrl": upload, "image": urn}},
            )
        if request.method == "GET" and path == "/rest/images":
            urns = request.url.query.decode().removeprefix("ids=List(").removesuffix(")").split(",")
            results = {
                unquote(u): {
                    "id": unquote(u),
                    "status": "AVAILABLE",
                    "downloadUrl": f"https://media.licdn.com/dms/image/{unquote(u)[-6:]}.jpg",
                }
                for u in urns
            }
            return httpx.Response(200, json={"results": results, "statuses": {}, "errors": {}})
        if request.method == "POST" and path == "/rest/posts":
            sent = json.loads(request.read())
            self.created.append(sent)
            urn = f"urn:li:share:{next(self.ids)}"
            self.posts[urn] = {
                "id": urn,
                **sent,
                "createdAt": ms(),
                "publishedAt": ms(),
                "lastModifiedAt": ms(),
                "lifecycleStateInfo": {"isEditedByAuthor": False},
            }
            if self.lose_next:
                self.lose_next -= 1
                return httpx.Response(504, json={"message": "Gateway timeout", "status": 504})
            return httpx.Response(201, headers={"x-restli-id": urn})
        if request.method == "GET" and path == "/rest/posts":
            return httpx.Response(
                200,
                json={"elements": list(reversed(self.posts.values())), "paging": {"start": 0, "count": 20}},
            )
        if request.method == "GET" and path.startswith("/rest/posts/"):
            return httpx.Response(200, json=self.posts[path.removeprefix("/rest/posts/")])
        if request.method == "POST" and path.startswith("/rest/socialActions/"):
            sent = json.loads(request.read())
            self.created.append(sent)
            number = next(self.ids)
            activity = sent["object"].replace("urn:li:share:", "urn:li:activity:")
            comment = {
                **sent,
                "id": str(number),
                "commentUrn": f"urn:li:comment:({activity},{number})",
                "created": {"actor": sent["actor"], "time": ms()},
                "lastModified": {"actor": sent["actor"], "time": ms()},
            }
            self.comments.append(comment)
            return httpx.Response(201, json=comment)
        return httpx.Response(404, json={"message": "Not found", "status": 404})


@pytest.fixture
def linkedin(httpx2_mock: Any) -> FakeLinkedIn:
    fake = FakeLinkedIn()
    httpx2_mock.route(host="api.linkedin.com").mock(side_effect=fake.handle)
    httpx2_mock.route(host="www.linkedin.com").mock(side_effect=fake.handle)
    httpx2_mock.route(host="media.licdn.com").respond(
        200, content=JPEG, headers={"Content-Type": "image/jpeg"}
    )
    return fake


@pytest.fixture
def vara_linkedin(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    return connect(
        "linkedin", "linkedin.com/company/vara-kommun", ORG, alice=alice, erik=erik, bob=bob, units=units
    )


def test_a_post_with_an_image_is_published_as_the_organisation_with_its_alt_text(
    vara_linkedin: Account, erik: User, linkedin: FakeLinkedIn
) -> None:
    text = "Vi söker sjuksköterskor (natt) till hemtjänsten! #JobbaIVara"
    outgoing = services.queue_post(
        account=vara_linkedin,
        key="draft:20:account:9:v1",
        text=text,
        media=[
            services.OutgoingMedia(
                content=JPEG, content_type="image/jpeg", alt_text="Två sjuksköterskor vid en bil"
            )
        ],
        by=erik,
    )
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    [sent] = linkedin.created
    assert (
        sent["author"] == ORG_URN and sent["lifecycleState"] == "PUBLISHED" and sent["visibility"] == "PUBLIC"
    )
    assert sent["commentary"] == r"Vi söker sjuksköterskor \(natt\) till hemtjänsten! {hashtag|\#|JobbaIVara}"
    assert little_text(sent["commentary"]) == text
    media = sent["content"]["media"]
    assert media["altText"] == "Två sjuksköterskor vid en bil" and linkedin.images[media["id"]] == JPEG
    outgoing.refresh_from_db()
    item = Item.objects.get(account=vara_linkedin, object_id=outgoing.platform_id)
    assert item.direction == Direction.DRAWN_UP and item.versions.get().attachments.count() == 1


def test_a_reply_to_a_members_comment_is_a_comment_on_it_as_the_organisation(
    vara_linkedin: Account, erik: User, linkedin: FakeLinkedIn
) -> None:
    post = "urn:li:share:7341288375082108928"
    member = "urn:li:comment:(urn:li:activity:7341288375082108928,7341300000000000001)"
    archive.capture(
        [
            a_comment(
                vara_linkedin,
                member,
                "Finns det deltid?",
                on=post,
                author=Author(platform_id="urn:li:person:AbC"),
            )
        ]
    )
    outgoing = services.queue_post(
        account=vara_linkedin,
        key="case:20:reply",
        text="Ja, både heltid och deltid.",
        reply_to_item=Item.objects.get(object_id=member),
        by=erik,
    )
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    [sent] = linkedin.created
    assert sent["parentComment"] == member and sent["object"] == "urn:li:activity:7341288375082108928"
    assert sent["actor"] == ORG_URN and sent["message"] == {"text": "Ja, både heltid och deltid."}
    reply = Item.objects.get(object_id=Outgoing.objects.get().platform_id)
    assert (
        reply.kind == Kind.REPLY
        and reply.parent_object_id == member
        and reply.direction == Direction.DRAWN_UP
    )


def test_a_post_linkedin_made_but_answered_504_is_found_and_not_posted_again(
    vara_linkedin: Account, erik: User, linkedin: FakeLinkedIn
) -> None:
    linkedin.lose_next = 1
    outgoing = services.queue_post(
        account=vara_linkedin, key="draft:21:account:9:v1", text="Kommunfullmäktige sänds i kväll.", by=erik
    )
    assert outbox.send(outgoing.pk) == Outgoing.State.UNCERTAIN
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    assert len(linkedin.created) == 1 and Outgoing.objects.get().platform_id == next(iter(linkedin.posts))
