"""Publishing on a Facebook Page through the outbox, against the Graph API's documented publish
endpoints (``/{page-id}/feed``, ``/{page-id}/photos``, ``/{object-id}/comments``) in their shapes:
a post with an image and its alternative text and a first comment, several images in one post, a
reply to a resident's comment, and a post Graph made without confirming it, found and not posted
again (Graph has no idempotency key)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from sigill.archive import services as archive
from sigill.archive.capture import Author, Direction, Kind
from sigill.archive.models import Item
from sigill.connectors import services
from sigill.connectors.models import Outgoing
from sigill.connectors.publish import outbox
from sigill.registry.models import Account
from tests.connectors.conftest import JPEG, PAGE_ID, TOKEN
from tests.connectors.residents import a_comment

GRAPH_HOST = "graph.facebook.com"
PAGE = {"id": PAGE_ID, "name": "Vara kommun"}

pytestmark = pytest.mark.httpx2(assert_all_called=False)


class Graph:
    """A Page as the Graph API keeps it: posts, photos and comments, made by the documented calls."""

    def __init__(self) -> None:
        self.posts: dict[str, dict[str, Any]] = {}
        self.comments: dict[str, dict[str, Any]] = {}
        self.photos: dict[str, dict[str, Any]] = {}
        self.creates: list[tuple[str, dict[str, Any]]] = []
        self.lose_next = 0  # make the next create, then answer 500 (a transient Graph error)
        self.refuse_comments = False
        self.numbers = itertools.count(122146783920571900)

    def handle(self, request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        path = request.url.path.removeprefix("/v21.0/").split("/")
        if request.method == "GET":
            return self._get(path, request)
        form = self._form(request)
        self.creates.append(("/".join(path), form))
        if path == [PAGE_ID, "photos"]:
            number = str(next(self.numbers))
            self.photos[number] = form
            if form.get("published") == "false":
                return httpx.Response(200, json={"id": number})
            post = self._new_post(form.get("message", ""), [number])
            return self._answer({"id": number, "post_id": post["id"]})
        if path == [PAGE_ID, "feed"]:
            media = [
                json.loads(v)["media_fbid"] for k, v in sorted(form.items()) if k.startswith("attached_media")
            ]
            return self._answer({"id": self._new_post(form.get("message", ""), media)["id"]})
        if len(path) == 2 and path[1] == "comments" and self.refuse_comments:
            return httpx.Response(403, json={"error": {"message": "(#200) Permissions error", "code": 200}})
        if len(path) == 2 and path[1] == "comments":
            parent = path[0]
            number = f"{parent.rpartition('_')[2]}_{next(self.numbers)}"
            post_id = parent if parent in self.posts else self.comments[parent]["post"]
            self.comments[number] = {
                "id": number,
                "from": PAGE,
                "message": form["message"],
                "created_time": now(),
                "permalink_url": f"https://www.facebook.com/{post_id}?comment_id={number}",
                **({"parent": {"id": parent}} if parent not in self.posts else {}),
                "post": post_id,
                "on": parent,
            }
            return self._answer({"id": number})
        return httpx.Response(404, json={"error": {"message": "Unknown path", "code": 803}})

    def _answer(self, body: dict[str, Any]) -> httpx.Response:
        if self.lose_next:
            self.lose_next -= 1
            return httpx.Response(
                500,
                json={
                    "error": {"message": "An unexpected error has occurred.", "code": 2, "is_transient": True}
                },
            )
        return httpx.Response(200, json=body)

    def _new_post(self, message: str, photos: list[str]) -> dict[str, Any]:
        number = f"{PAGE_ID}_{next(self.numbers)}"
        self.posts[number] = {
            "id": number,
            "message": message,
            "created_time": now(),
            "permalink_url": f"https://www.facebook.com/{number}",
            "from": PAGE,
            "status_type": "added_photos" if photos else "mobile_status_update",
            "attachments": {
                "data": [
                    {"type": "photo", "media": {"image": {"src": f"https://scontent.xx.fbcdn.net/{p}.jpg"}}}
                    for p in photos
                ]
            },
        }
        return self.posts[number]

    def _get(self, path: list[str], request: httpx.Request) -> httpx.Response:
        if path == [PAGE_ID, "feed"]:
            return httpx.Response(200, json={"data": list(reversed(self.posts.values()))})
        if len(path) == 2 and path[1] == "comments":
            found = [self._public(c) for c in reversed(self.comments.values()) if c["on"] == path[0]]
            return httpx.Response(200, json={"data": found})
        if path[0] in self.posts:
            return httpx.Response(200, json=self.posts[path[0]])
        if path[0] in self.comments:
            return httpx.Response(200, json=self._public(self.comments[path[0]]))
        return httpx.Response(404, json={"error": {"message": "Unsupported get request.", "code": 100}})

    @staticmethod
    def _public(comment: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in comment.items() if k not in ("post", "on")}

    @staticmethod
    def _form(request: httpx.Request) -> dict[str, Any]:
        kind = request.headers.get("content-type", "")
        if kind.startswith("multipart/"):
            import email.parser
            import email.policy

            head = f"Content-Type: {kind}\r\n\r\n".encode()
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.read())
            form: dict[str, Any] = {}
            for part in message.iter_parts():
                name = str(part.get_param("name", header="content-disposition"))
                payload = bytes(part.get_payload(decode=True))
                form[name] = payload if part.get_filename() else payload.decode()
            return form
        return {k: v[0] for k, v in parse_qs(request.read().decode()).items()}


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


@pytest.fixture
def graph(httpx2_mock: Any) -> Graph:
    fake = Graph()
    httpx2_mock.route(host=GRAPH_HOST).mock(side_effect=fake.handle)
    httpx2_mock.route(host="scontent.xx.fbcdn.net").respond(
        200, content=JPEG, headers={"Content-Type": "image/jpeg"}
    )
    return fake


def image(alt: str) -> services.OutgoingMedia:
    return services.OutgoingMedia(content=JPEG, content_type="image/jpeg", alt_text=alt)


def test_a_post_with_an_image_and_a_first_comment_is_published_on_the_page_and_archived(
    vara_page: Account, erik: Any, graph: Graph
) -> None:
    outgoing = services.queue_post(
        account=vara_page,
        key="draft:3:account:1:v1",
        text="Nu öppnar den nya lekplatsen i Stadsparken!",
        media=[image("Barn som klättrar i en röd klätterställning")],
        first_comment="Läs mer på vara.se/lekplatser",
        record_metadata={"approved_by": "bob"},
        by=erik,
    )
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED

    [(path, photo), (comment_path, comment)] = graph.creates
    assert (
        path == f"{PAGE_ID}/photos"
        and photo["alt_text_custom"] == "Barn som klättrar i en röd klätterställning"
    )
    assert photo["source"] == JPEG and photo["message"] == "Nu öppnar den nya lekplatsen i Stadsparken!"
    [post] = graph.posts.values()
    assert comment_path == f"{post['id']}/comments" and comment["message"] == "Läs mer på vara.se/lekplatser"
    outgoing.refresh_from_db()
    assert outgoing.platform_id == post["id"] and outgoing.platform_url == post["permalink_url"]
    assert outgoing.first_comment_id and outgoing.last_error == ""
    item = Item.objects.get(account=vara_page, object_id=post["id"])
    assert item.direction == Direction.DRAWN_UP and item.versions.get().metadata["record"] == {
        "approved_by": "bob"
    }
    first = Item.objects.get(account=vara_page, object_id=outgoing.first_comment_id)
    assert first.direction == Direction.DRAWN_UP and first.parent_object_id == post["id"]


def test_several_images_are_uploaded_unpublished_and_attached_to_one_post(
    vara_page: Account, erik: Any, graph: Graph
) -> None:
    outgoing = services.queue_post(
        account=vara_page,
        key="draft:4:account:1:v1",
        text="Bilder från nationaldagsfirandet.",
        media=[image("Flaggor vid scenen"), image("Kören sjunger")],
        by=erik,
    )
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    uploads = [form for path, form in graph.creates if path == f"{PAGE_ID}/photos"]
    assert [u["published"] for u in uploads] == ["false", "false"]
    assert [u["alt_text_custom"] for u in uploads] == ["Flaggor vid scenen", "Kören sjunger"]
    [post] = graph.posts.values()
    assert len(post["attachments"]["data"]) == 2 and len(graph.posts) == 1


def test_a_reply_to_a_residents_comment_is_a_comment_on_it(
    vara_page: Account, erik: Any, graph: Graph
) -> None:
    post = graph._new_post("Vägarbete på Torggatan vecka 12.", [])
    resident_comment = f"{post['id'].rpartition('_')[2]}_77"
    graph.comments[resident_comment] = {
        "id": resident_comment,
        "from": {"id": "5550001", "name": "Anna Berg"},
        "message": "Blir det omledning för bussen?",
        "created_time": now(),
        "post": post["id"],
        "on": post["id"],
    }
    archive.capture(
        [
            a_comment(
                vara_page,
                resident_comment,
                "Blir det omledning för bussen?",
                on=post["id"],
                author=Author(platform_id="5550001", display_name="Anna Berg"),
            )
        ]
    )
    answered = Item.objects.get(object_id=resident_comment)
    outgoing = services.queue_post(
        account=vara_page,
        key="case:4:reply",
        text="Ja, linje 3 går via Kungsgatan.",
        reply_to_item=answered,
        by=erik,
    )
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    [(path, form)] = graph.creates
    assert path == f"{resident_comment}/comments" and form["message"] == "Ja, linje 3 går via Kungsgatan."
    reply = Item.objects.get(object_id=Outgoing.objects.get().platform_id)
    assert reply.kind == Kind.REPLY and reply.parent_object_id == resident_comment
    assert reply.direction == Direction.DRAWN_UP


def test_a_post_graph_made_but_answered_with_an_error_is_found_on_the_page_and_not_posted_twice(
    vara_page: Account, erik: Any, graph: Graph
) -> None:
    graph.lose_next = 1
    outgoing = services.queue_post(
        account=vara_page, key="draft:5:account:1:v1", text="Simhallen är stängd i morgon.", by=erik
    )
    assert outbox.send(outgoing.pk) == Outgoing.State.UNCERTAIN
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    assert len(graph.posts) == 1 and len(graph.creates) == 1
    assert Outgoing.objects.get().platform_id == next(iter(graph.posts))


def test_a_first_comment_graph_refuses_leaves_the_post_published_with_the_reason(
    vara_page: Account, erik: Any, graph: Graph
) -> None:
    graph.refuse_comments = True
    outgoing = services.queue_post(
        account=vara_page,
        key="draft:6:account:1:v1",
        text="Nu öppnar badet.",
        first_comment="Öppettider: vara.se/bad",
        by=erik,
    )
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    outgoing.refresh_from_db()
    assert len(graph.posts) == 1 and outgoing.first_comment_id == ""
    assert outgoing.last_error.startswith("Publicerat; den första kommentaren gick inte att lägga till:")
    assert "Permissions error" in outgoing.last_error
