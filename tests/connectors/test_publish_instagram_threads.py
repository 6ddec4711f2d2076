"""Publishing on Instagram and Threads through the outbox: both make a container and then publish
it (``/{ig-user-id}/media`` → ``/media_publish``; ``/{user-id}/threads`` → ``/threads_publish``), and
both fetch images from an address, here Sigill's signed one, which answers only until the post is
out. Against fakes in the documented shapes."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from sigill.archive import services as archive
from sigill.archive.capture import Author, Direction, Kind
from sigill.archive.models import Item
from sigill.connectors import services
from sigill.connectors.models import Outgoing
from sigill.connectors.publish import outbox
from sigill.organisation.models import Unit, User
from tests.connectors.conftest import JPEG, TOKEN, connect
from tests.connectors.residents import a_comment

pytestmark = pytest.mark.httpx2(assert_all_called=False)
IG_USER = "17841402837465019"
THREADS_USER = "26718293645019283"


def stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


class Meta:
    """Instagram's and Threads' container publishing, and their objects, in one fake."""

    def __init__(self, user: str) -> None:
        self.user = user
        self.containers: dict[str, dict[str, str]] = {}
        self.objects: dict[str, dict[str, Any]] = {}
        self.fetched: list[bytes] = []
        self.publishes = 0
        self.lose_next = 0
        self.ids = itertools.count(17900000000000001)

    def handle(self, request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        path = request.url.path.split("/")[2:]  # past the version
        if request.method == "GET":
            if path == [self.user, "media"] or path == [self.user, "threads"]:
                return httpx.Response(
                    200, json={"data": [o for o in self.objects.values() if o.get("kind") == "post"][::-1]}
                )
            if path == [self.user, "replies"]:
                return httpx.Response(
                    200, json={"data": [o for o in self.objects.values() if o.get("kind") == "reply"][::-1]}
                )
            return httpx.Response(200, json=self.objects[path[0]])
        form = {k: v[0] for k, v in parse_qs(request.read().decode()).items()}
        number = str(next(self.ids))
        if path[1] in ("media", "threads"):
            if "image_url" in form:  # the platform fetches the file from its address
                address = urlsplit(form["image_url"])
                response = Client().get(address.path)
                assert response.status_code == 200, form["image_url"]
                self.fetched.append(response.content)
            self.containers[number] = form
            return httpx.Response(200, json={"id": number})
        if path[1] in ("media_publish", "threads_publish"):
            self.publishes += 1
            form = self.containers[form["creation_id"]]
            self.objects[number] = {
                "id": number,
                "kind": "reply" if "reply_to_id" in form else "post",
                "caption": form.get("caption", ""),
                "text": form.get("text", ""),
                "media_type": "CAROUSEL_ALBUM"
                if form.get("media_type") == "CAROUSEL"
                else form.get("media_type", "IMAGE"),
                "timestamp": stamp(),
                "permalink": f"https://www.example-meta.com/p/{number}/",
                "username": "varakommun",
                "owner": {"id": self.user},
                **(
                    {
                        "replied_to": {"id": form["reply_to_id"]},
                        "root_post": {"id": form["reply_to_id"]},
                        "is_reply_owned_by_me": True,
                    }
                    if "reply_to_id" in form
                    else {}
                ),
            }
            if self.lose_next:
                self.lose_next -= 1
                return httpx.Response(
                    500,
                    json={"error": {"message": "An unknown error occurred", "code": 1, "is_transient": True}},
                )
            return httpx.Response(200, json={"id": number})
        if path[1] in ("comments", "replies"):
            self.objects[number] = {
                "id": number,
                "text": form["message"],
                "timestamp": stamp(),
                "from": {"id": self.user, "username": "varakommun"},
                "username": "varakommun",
                **({"parent_id": path[0]} if path[1] == "replies" else {}),
            }
            return httpx.Response(200, json={"id": number})
        return httpx.Response(404, json={"error": {"message": "Unknown path", "code": 803}})


@pytest.fixture
def instagram(httpx2_mock: Any) -> Meta:
    fake = Meta(IG_USER)
    httpx2_mock.route(host="graph.facebook.com").mock(side_effect=fake.handle)
    return fake


@pytest.fixture
def threads(httpx2_mock: Any) -> Meta:
    fake = Meta(THREADS_USER)
    httpx2_mock.route(host="graph.threads.net").mock(side_effect=fake.handle)
    return fake


@pytest.fixture
def people(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> dict[str, Any]:
    return {"alice": alice, "erik": erik, "bob": bob, "units": units}


def image(alt: str) -> services.OutgoingMedia:
    return services.OutgoingMedia(content=JPEG, content_type="image/jpeg", alt_text=alt)


def test_an_instagram_post_is_a_published_container_whose_image_is_fetched_from_sigill(
    people: dict[str, Any], erik: User, instagram: Meta
) -> None:
    account = connect("instagram", "instagram.com/varakommun", IG_USER, **people)
    outgoing = services.queue_post(
        account=account,
        key="draft:30:account:4:v1",
        text="Höstlov på biblioteket 🍂",
        media=[image("Barn läser i en sittsäck")],
        first_comment="Program: vara.se/hostlov",
        by=erik,
    )
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    [container] = instagram.containers.values()
    assert (
        container["alt_text"] == "Barn läser i en sittsäck"
        and container["caption"] == "Höstlov på biblioteket 🍂"
    )
    assert instagram.fetched == [JPEG], "Instagram fetched the image from Sigill's address"
    assert Client().get(urlsplit(container["image_url"]).path).status_code == 404, (
        "published: the address is closed"
    )
    outgoing.refresh_from_db()
    post = Item.objects.get(account=account, object_id=outgoing.platform_id)
    assert post.direction == Direction.DRAWN_UP and post.kind == Kind.POST
    first = Item.objects.get(account=account, object_id=outgoing.first_comment_id)
    assert latest(first) == "Program: vara.se/hostlov" and first.parent_object_id == outgoing.platform_id


def latest(item: Item) -> str:
    return item.versions.order_by("-number").values_list("text", flat=True)[0]


def test_instagram_takes_no_post_without_an_image_and_answers_a_comment_with_a_reply(
    people: dict[str, Any], erik: User, instagram: Meta
) -> None:
    account = connect("instagram", "instagram.com/varakommun", IG_USER, **people)
    with pytest.raises(ValidationError, match="Ett inlägg på Instagram behöver en bild eller en video"):
        services.queue_post(account=account, key="draft:31", text="Bara text", by=erik)
    archive.capture(
        [
            a_comment(
                account,
                "17858893269000001",
                "Öppet i jul?",
                on="17895695668004550",
                author=Author(platform_id="9001", handle="anna"),
            )
        ]
    )
    outgoing = services.queue_post(
        account=account,
        key="case:31:reply",
        text="Ja, utom på juldagen.",
        reply_to_item=Item.objects.get(object_id="17858893269000001"),
        by=erik,
    )
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    reply = Item.objects.get(object_id=Outgoing.objects.get(key="case:31:reply").platform_id)
    assert reply.kind == Kind.REPLY and reply.parent_object_id == "17858893269000001"
    assert reply.direction == Direction.DRAWN_UP


def test_threads_publishes_a_reply_and_finds_a_post_it_made_without_confirming(
    people: dict[str, Any], erik: User, threads: Meta
) -> None:
    account = connect("threads", "threads.net/@varakommun", THREADS_USER, **people)
    threads.lose_next = 1
    outgoing = services.queue_post(
        account=account, key="draft:40:account:6:v1", text="Valet närmar sig: så röstar du.", by=erik
    )
    assert outbox.send(outgoing.pk) == Outgoing.State.UNCERTAIN
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    assert threads.publishes == 1
    [container] = threads.containers.values()
    assert container == {"text": "Valet närmar sig: så röstar du.", "media_type": "TEXT"}

    post = Item.objects.get(object_id=Outgoing.objects.get().platform_id)
    answer = services.queue_post(
        account=account,
        key="case:40:reply",
        text="Förtidsröstningen börjar den 19:e.",
        reply_to_item=post,
        by=erik,
    )
    assert outbox.send(answer.pk) == Outgoing.State.PUBLISHED
    assert list(threads.containers.values())[-1]["reply_to_id"] == post.object_id
    reply = Item.objects.get(object_id=Outgoing.objects.get(key="case:40:reply").platform_id)
    assert (
        reply.kind == Kind.COMMENT
        and reply.parent_object_id == post.object_id
        and reply.direction == Direction.DRAWN_UP
    )


def test_several_images_are_a_carousel_on_instagram_and_one_image_a_post_on_threads(
    people: dict[str, Any], erik: User, instagram: Meta, threads: Meta
) -> None:
    account = connect("instagram", "instagram.com/varakommun", IG_USER, **people)
    outgoing = services.queue_post(
        account=account,
        key="draft:32:account:4:v1",
        text="Vårstädning i parkerna",
        media=[image("Krattade gångar"), image("Nyplanterade tulpaner")],
        by=erik,
    )
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    first, second, carousel = instagram.containers.values()
    assert (first["is_carousel_item"], second["is_carousel_item"]) == ("true", "true")
    assert [first["alt_text"], second["alt_text"]] == ["Krattade gångar", "Nyplanterade tulpaner"]
    assert carousel["media_type"] == "CAROUSEL" and carousel["caption"] == "Vårstädning i parkerna"
    assert carousel["children"].split(",") == list(instagram.containers)[:2]
    assert instagram.fetched == [JPEG, JPEG]

    on_threads = connect("threads", "threads.net/@varakommun", THREADS_USER, **people)
    outgoing = services.queue_post(
        account=on_threads,
        key="draft:41:account:6:v1",
        text="Tulpanerna är här!",
        media=[image("Röda tulpaner vid torget")],
        by=erik,
    )
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    [container] = threads.containers.values()
    assert container["media_type"] == "IMAGE" and container["alt_text"] == "Röda tulpaner vid torget"
    assert threads.fetched == [JPEG]
