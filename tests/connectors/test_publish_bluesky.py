"""Publishing on Bluesky through the outbox, against the account's PDS in the AT Protocol's
documented shapes (``com.atproto.repo.uploadBlob``, ``com.atproto.repo.createRecord``,
``com.atproto.repo.getRecord``, ``app.bsky.feed.getPosts``): a post with an image, its alternative
text and a followable link, a reply with its root and parent refs, and a post the PDS made without
confirming it, found by its record key and not posted again."""

from __future__ import annotations

import json
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
DID = "did:plc:h5m2mxmvrjfvq74szqq2zpgz"
RESIDENT = "did:plc:anna7vqx2ehzlf3k6pm5y4oa"


class FakePds:
    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {}  # by AT-URI: {uri, cid, value}
        self.creates: list[dict[str, Any]] = []
        self.lose_next = 0

    def handle(self, request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        method = request.url.path.removeprefix("/xrpc/")
        if method == "com.atproto.repo.uploadBlob":
            blob = {
                "$type": "blob",
                "ref": {"$link": "bafkreiblob" + str(len(request.read()))},
                "mimeType": request.headers["content-type"],
                "size": len(request.read()),
            }
            return httpx.Response(200, json={"blob": blob})
        if method == "com.atproto.repo.createRecord":
            sent = json.loads(request.read())
            self.creates.append(sent)
            uri = f"at://{sent['repo']}/{sent['collection']}/{sent['rkey']}"
            if uri in self.records:
                return httpx.Response(
                    400, json={"error": "InvalidRequest", "message": "Record already exists"}
                )
            self.add(uri, sent["record"])
            if self.lose_next:
                self.lose_next -= 1
                return httpx.Response(502, json={"error": "UpstreamFailure", "message": "Upstream Failure"})
            return httpx.Response(
                200,
                json={
                    "uri": uri,
                    "cid": self.records[uri]["cid"],
                    "commit": {"cid": "bafyreicommit", "rev": "3lfx"},
                },
            )
        if method == "com.atproto.repo.getRecord":
            params = request.url.params
            uri = f"at://{params['repo']}/{params['collection']}/{params['rkey']}"
            if uri not in self.records:
                return httpx.Response(
                    400, json={"error": "RecordNotFound", "message": f"Could not locate record: {uri}"}
                )
            return httpx.Response(200, json=self.records[uri])
        if method == "app.bsky.feed.getPosts":
            uri = request.url.params["uris"]
            found = self.records.get(uri)
            posts = (
                [
                    {
                        "uri": uri,
                        "cid": found["cid"],
                        "author": {"did": uri.split("/")[2]},
                        "record": found["value"],
                        "indexedAt": found["value"]["createdAt"],
                    }
                ]
                if found
                else []
            )
            return httpx.Response(200, json={"posts": posts})
        return httpx.Response(400, json={"error": "MethodNotImplemented"})

    def add(self, uri: str, record: dict[str, Any]) -> dict[str, Any]:
        self.records[uri] = {"uri": uri, "cid": f"bafyrei{len(self.records):04d}", "value": record}
        return self.records[uri]


@pytest.fixture
def pds(httpx2_mock: Any) -> FakePds:
    fake = FakePds()
    httpx2_mock.route(host="bsky.social").mock(side_effect=fake.handle)
    httpx2_mock.route(host="cdn.bsky.app").respond(200, content=JPEG, headers={"Content-Type": "image/jpeg"})
    return fake


@pytest.fixture
def vara_bluesky(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    return connect(
        "bluesky",
        "bsky.app/profile/varakommun.bsky.social",
        DID,
        alice=alice,
        erik=erik,
        bob=bob,
        units=units,
    )


def test_a_post_with_an_image_and_a_link_is_published_with_its_alt_text_and_archived(
    vara_bluesky: Account, erik: User, pds: FakePds
) -> None:
    text = "Årets kulturpris går till Kör i Vara! Läs mer: https://www.vara.se/kulturpris"
    outgoing = services.queue_post(
        account=vara_bluesky,
        key="draft:11:account:5:v2",
        text=text,
        media=[
            services.OutgoingMedia(
                content=JPEG, content_type="image/jpeg", alt_text="Kören på scenen i Vara konserthus"
            )
        ],
        by=erik,
    )
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    [sent] = pds.creates
    record = sent["record"]
    assert sent["repo"] == DID and sent["collection"] == "app.bsky.feed.post" and len(sent["rkey"]) == 13
    assert record["embed"]["images"][0]["alt"] == "Kören på scenen i Vara konserthus"
    [facet] = record["facets"]
    start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
    assert text.encode()[start:end] == b"https://www.vara.se/kulturpris"
    outgoing.refresh_from_db()
    assert outgoing.platform_id == f"at://{DID}/app.bsky.feed.post/{sent['rkey']}"
    item = Item.objects.get(account=vara_bluesky, object_id=outgoing.platform_id)
    assert item.direction == Direction.DRAWN_UP and item.versions.get().attachments.count() == 1


def test_a_reply_carries_the_threads_root_and_the_answered_post(
    vara_bluesky: Account, erik: User, pds: FakePds
) -> None:
    root = pds.add(
        f"at://{DID}/app.bsky.feed.post/3lfokvvt6o22b",
        {"text": "Snöröjningen pågår.", "createdAt": "2025-01-14T05:55:00.000Z"},
    )
    comment = pds.add(
        f"at://{RESIDENT}/app.bsky.feed.post/3lfoq2c7mz22x",
        {
            "text": "Vår gata är inte plogad.",
            "createdAt": "2025-01-14T07:10:00.000Z",
            "reply": {
                "root": {"uri": root["uri"], "cid": root["cid"]},
                "parent": {"uri": root["uri"], "cid": root["cid"]},
            },
        },
    )
    archive.capture(
        [
            a_comment(
                vara_bluesky,
                comment["uri"],
                "Vår gata är inte plogad.",
                on=root["uri"],
                author=Author(platform_id=RESIDENT),
            )
        ]
    )
    outgoing = services.queue_post(
        account=vara_bluesky,
        key="case:5:reply",
        text="Tack, vi skickar en plogbil.",
        reply_to_item=Item.objects.get(object_id=comment["uri"]),
        by=erik,
    )
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    reply_refs = pds.creates[0]["record"]["reply"]
    assert reply_refs == {
        "root": {"uri": root["uri"], "cid": root["cid"]},
        "parent": {"uri": comment["uri"], "cid": comment["cid"]},
    }
    item = Item.objects.get(object_id=Outgoing.objects.get().platform_id)
    assert (
        item.kind == Kind.REPLY
        and item.parent_object_id == comment["uri"]
        and item.direction == Direction.DRAWN_UP
    )


def test_a_post_the_pds_made_but_did_not_confirm_is_found_by_its_record_key(
    vara_bluesky: Account, erik: User, pds: FakePds
) -> None:
    pds.lose_next = 1
    outgoing = services.queue_post(
        account=vara_bluesky, key="draft:12:account:5:v1", text="Biblioteket stänger 16 i dag.", by=erik
    )
    assert outbox.send(outgoing.pk) == Outgoing.State.UNCERTAIN
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    assert len(pds.creates) == 1 and len(pds.records) == 1
    assert Outgoing.objects.get().platform_id == next(iter(pds.records))
