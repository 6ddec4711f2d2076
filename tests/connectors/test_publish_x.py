"""Publishing on X through the outbox, against API v2's documented endpoints (``POST /2/tweets``,
``POST /2/media/upload``, ``POST /2/media/metadata``) in their shapes: a post with an image and
its alternative text, a reply, and a post X made without confirming it, found among the account's
posts (its link shortened by X) and not posted again."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Sequence
from typing import Any

import httpx
import pytest

from sigill.archive import services as archive
from sigill.archive.capture import Author, Direction, Kind
from sigill.archive.models import Item
from sigill.connectors import services
from sigill.connectors.models import Outgoing
from sigill.connectors.publish import outbox
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.connectors.conftest import JPEG, TOKEN, connect
from tests.connectors.residents import a_comment

pytestmark = pytest.mark.httpx2(assert_all_called=False)
USER = {"id": "1189273645019283456", "name": "Vara kommun", "username": "varakommun"}


class FakeX:
    def __init__(self) -> None:
        self.tweets: list[dict[str, Any]] = []
        self.media: dict[str, dict[str, Any]] = {}
        self.created: list[dict[str, Any]] = []
        self.lose_next = 0
        self.refuse_listing = False
        self.ids = itertools.count(1935300000000000001)

    def handle(self, request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        path = request.url.path
        if request.method == "POST" and path == "/2/media/upload":
            number = str(next(self.ids))
            self.media[number] = {
                "media_key": f"3_{number}",
                "type": "photo",
                "url": f"https://pbs.twimg.com/media/{number}.jpg",
            }
            return httpx.Response(
                200,
                json={
                    "data": {
                        "id": number,
                        "media_key": f"3_{number}",
                        "size": len(JPEG),
                        "expires_after_secs": 86400,
                    }
                },
            )
        if request.method == "POST" and path == "/2/media/metadata":
            sent = json.loads(request.read())
            self.media[sent["id"]]["alt_text"] = sent["metadata"]["alt_text"]["text"]
            return httpx.Response(
                200, json={"data": {"id": sent["id"], "associated_metadata": sent["metadata"]}}
            )
        if request.method == "POST" and path == "/2/tweets":
            sent = json.loads(request.read())
            self.created.append(sent)
            tweet = self.add(
                sent["text"],
                reply_to=sent.get("reply", {}).get("in_reply_to_tweet_id", ""),
                media=sent.get("media", {}).get("media_ids", []),
            )
            if self.lose_next:
                self.lose_next -= 1
                return httpx.Response(503, json={"title": "Service Unavailable", "status": 503})
            return httpx.Response(
                201,
                json={
                    "data": {
                        "id": tweet["id"],
                        "text": tweet["text"],
                        "edit_history_tweet_ids": [tweet["id"]],
                    }
                },
            )
        if path == f"/2/users/{USER['id']}/tweets" and self.refuse_listing:
            return httpx.Response(
                403, json={"title": "Forbidden", "detail": "client-not-enrolled", "status": 403}
            )
        if path == f"/2/users/{USER['id']}/tweets":
            return httpx.Response(
                200,
                json={
                    "data": list(reversed(self.tweets)),
                    **self._includes(),
                    "meta": {"result_count": len(self.tweets)},
                },
            )
        if path.startswith("/2/tweets/"):
            [tweet] = [t for t in self.tweets if t["id"] == path.rsplit("/", 1)[1]]
            return httpx.Response(200, json={"data": tweet, **self._includes()})
        return httpx.Response(404, json={"title": "Not Found Error", "status": 404})

    def add(
        self,
        text: str,
        *,
        reply_to: str = "",
        media: Sequence[str] = (),
        author: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        author = author or USER
        number = str(next(self.ids))
        # X shortens every link, and adds one for the media.
        shown = " ".join("https://t.co/AbC123" if w.startswith("http") else w for w in text.split(" "))
        parent = next((t for t in self.tweets if t["id"] == reply_to), None)
        tweet = {
            "id": number,
            "text": shown + (" https://t.co/MeD1a" if media else ""),
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "author_id": author["id"],
            "conversation_id": parent["conversation_id"] if parent else number,
            "edit_history_tweet_ids": [number],
            **({"referenced_tweets": [{"type": "replied_to", "id": reply_to}]} if reply_to else {}),
            **({"attachments": {"media_keys": [self.media[m]["media_key"] for m in media]}} if media else {}),
        }
        self.tweets.append(tweet)
        return tweet

    def _includes(self) -> dict[str, Any]:
        return {"includes": {"users": [USER], "media": list(self.media.values())}}


@pytest.fixture
def fake_x(httpx2_mock: Any) -> FakeX:
    fake = FakeX()
    httpx2_mock.route(host="api.x.com").mock(side_effect=fake.handle)
    httpx2_mock.route(host="pbs.twimg.com").respond(200, content=JPEG, headers={"Content-Type": "image/jpeg"})
    return fake


@pytest.fixture
def vara_x(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    return connect("x", "x.com/varakommun", USER["id"], alice=alice, erik=erik, bob=bob, units=units)


def test_a_post_with_an_image_is_published_with_its_alt_text_and_archived(
    vara_x: Account, erik: User, fake_x: FakeX
) -> None:
    outgoing = services.queue_post(
        account=vara_x,
        key="draft:8:account:2:v1",
        text="Nu är isbanan på torget öppen!",
        media=[
            services.OutgoingMedia(
                content=JPEG, content_type="image/jpeg", alt_text="Skridskoåkare på torget"
            )
        ],
        by=erik,
    )
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    [tweet] = fake_x.tweets
    [media] = fake_x.media.values()
    assert media["alt_text"] == "Skridskoåkare på torget"
    assert fake_x.created[0]["media"]["media_ids"] == [next(iter(fake_x.media))]
    outgoing.refresh_from_db()
    assert outgoing.platform_id == tweet["id"] and outgoing.platform_url.endswith(tweet["id"])
    item = Item.objects.get(account=vara_x, object_id=tweet["id"])
    assert item.direction == Direction.DRAWN_UP and item.kind == Kind.POST


def test_a_reply_names_the_answered_post(vara_x: Account, erik: User, fake_x: FakeX) -> None:
    ours = fake_x.add("Badplatserna provtas varje vecka.")
    theirs = fake_x.add(
        "@varakommun Hur är det med Vänern?",
        reply_to=ours["id"],
        author={"id": "4242", "name": "Anna", "username": "anna"},
    )
    archive.capture(
        [
            a_comment(
                vara_x,
                theirs["id"],
                theirs["text"],
                on=ours["id"],
                author=Author(platform_id="4242", handle="anna"),
            )
        ]
    )
    outgoing = services.queue_post(
        account=vara_x,
        key="case:2:reply",
        text="@anna Provsvaren ligger på vara.se/bad.",
        reply_to_item=Item.objects.get(object_id=theirs["id"]),
        by=erik,
    )
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    assert fake_x.created[0]["reply"] == {"in_reply_to_tweet_id": theirs["id"]}
    reply = Item.objects.get(object_id=Outgoing.objects.get().platform_id)
    assert (
        reply.kind == Kind.REPLY
        and reply.parent_object_id == theirs["id"]
        and reply.direction == Direction.DRAWN_UP
    )


def test_a_post_x_made_but_answered_503_is_found_despite_its_shortened_link(
    vara_x: Account, erik: User, fake_x: FakeX
) -> None:
    fake_x.lose_next = 1
    outgoing = services.queue_post(
        account=vara_x,
        key="draft:9:account:2:v1",
        text="Läs om vinterväghållningen: https://www.vara.se/vinter",
        by=erik,
    )
    assert outbox.send(outgoing.pk) == Outgoing.State.UNCERTAIN
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    assert len(fake_x.created) == 1 and len(fake_x.tweets) == 1
    assert Outgoing.objects.get().platform_id == fake_x.tweets[0]["id"]


def test_a_post_whose_outcome_cannot_be_checked_is_not_posted_again_and_says_why(
    vara_x: Account, erik: User, fake_x: FakeX
) -> None:
    fake_x.lose_next, fake_x.refuse_listing = 1, True
    outgoing = services.queue_post(
        account=vara_x, key="draft:10:account:2:v1", text="Trafikinfo: Storgatan.", by=erik
    )
    assert outbox.send(outgoing.pk) == Outgoing.State.UNCERTAIN
    assert outbox.send(outgoing.pk) == Outgoing.State.FAILED
    outgoing.refresh_from_db()
    assert outgoing.last_error.startswith("Sigill kunde inte kontrollera om plattformen redan har inlägget")
    assert len(fake_x.created) == 1, "not posted a second time"
