"""Facebook Pages (Graph API), with the Page's token.

A text post is ``POST /{page-id}/feed`` (``message``); one image is ``POST /{page-id}/photos``
(``source``, ``message``, the alternative text in ``alt_text_custom``); several images are each
uploaded unpublished (``published=false``) and then attached to one ``/feed`` post
(``attached_media``). A reply, to a post or to a comment, is ``POST /{object-id}/comments``; the
first comment is one on the new post. Each answer carries only the new id: the object is then read
back with the fields a sync reads, so the archive holds what a sync would capture.

Graph has no idempotency key. Finding a post: the Page's feed since the post was queued (a reply:
the answered object's newest comments), one by the Page with the same text.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, ClassVar

import httpx2

from sigill.connectors import http
from sigill.connectors.base import iso_time
from sigill.connectors.platforms.facebook import (
    COMMENT_FIELDS,
    GRAPH,
    POST_FIELDS,
    comment_capture,
    post_capture,
    raise_for_graph_error,
)
from sigill.connectors.publish.base import (
    FIRST_COMMENT,
    IMAGE,
    POST,
    REPLY,
    Abilities,
    Account,
    OutgoingMedia,
    Post,
    Published,
    create,
    same_text,
    with_first_comment,
)

MAX_TEXT = 63206
CLOCK_MARGIN = dt.timedelta(minutes=5)


class FacebookPublisher:
    slug: ClassVar[str] = "facebook"
    abilities: ClassVar[Abilities] = Abilities(
        (POST, IMAGE, FIRST_COMMENT, REPLY), max_text=MAX_TEXT, max_images=10
    )

    def publish(self, client: httpx2.Client, account: Account, post: Post) -> Published:
        if post.reply_to is not None:
            if post.media:
                raise http.Refused("Sigill publishes replies on Facebook as text only")
            response = create(
                client, "POST", f"{GRAPH}/{post.reply_to.object_id}/comments", data={"message": post.text}
            )
            raise_for_graph_error(response)
            return self._comment(client, account, str(response.json()["id"]), post.reply_to.root_object_id)
        post_id = self._create_post(client, account, post)
        published = self._post(client, account, post_id)
        if post.first_comment.strip():
            text, on = post.first_comment, published.platform_id
            return with_first_comment(published, lambda: self._first_comment(client, account, on, text))
        return published

    def find(self, client: httpx2.Client, account: Account, post: Post) -> Published | None:
        since = (post.created_at or dt.datetime.now(dt.UTC)) - CLOCK_MARGIN
        if post.reply_to is not None:
            response = client.get(
                f"{GRAPH}/{post.reply_to.object_id}/comments",
                params={"fields": COMMENT_FIELDS, "order": "reverse_chronological", "limit": "50"},
            )
            raise_for_graph_error(response)
            for comment in response.json().get("data", []):
                if self._ours(comment, account, post.text, since):
                    return self._comment(client, account, str(comment["id"]), post.reply_to.root_object_id)
            return None
        response = client.get(
            f"{GRAPH}/{account.remote_id}/feed",
            params={"fields": POST_FIELDS, "since": str(int(since.timestamp())), "limit": "50"},
        )
        raise_for_graph_error(response)
        for found in response.json().get("data", []):
            if self._ours(found, account, post.text, since):
                return self._published(found, account)
        return None

    @staticmethod
    def _ours(data: dict[str, Any], account: Account, text: str, since: dt.datetime) -> bool:
        return (
            str((data.get("from") or {}).get("id", "")) == account.remote_id
            and iso_time(data["created_time"]) >= since
            and same_text(data.get("message", ""), text)
        )

    def _create_post(self, client: httpx2.Client, account: Account, post: Post) -> str:
        page = account.remote_id
        images = list(post.media)
        if len(images) == 1:
            response = create(
                client,
                "POST",
                f"{GRAPH}/{page}/photos",
                data={"message": post.text, "alt_text_custom": images[0].alt_text},
                files={"source": _file(images[0])},
            )
            raise_for_graph_error(response)
            body = response.json()
            return str(body.get("post_id") or f"{page}_{body['id']}")
        data: dict[str, str] = {"message": post.text}
        for number, image in enumerate(images):
            data[f"attached_media[{number}]"] = json.dumps(
                {"media_fbid": self._unpublished(client, page, image)}
            )
        response = create(client, "POST", f"{GRAPH}/{page}/feed", data=data)
        raise_for_graph_error(response)
        return str(response.json()["id"])

    @staticmethod
    def _unpublished(client: httpx2.Client, page: str, image: OutgoingMedia) -> str:
        response = client.post(
            f"{GRAPH}/{page}/photos",
            data={"published": "false", "alt_text_custom": image.alt_text},
            files={"source": _file(image)},
        )
        raise_for_graph_error(response)
        return str(response.json()["id"])

    def _post(self, client: httpx2.Client, account: Account, post_id: str) -> Published:
        response = client.get(f"{GRAPH}/{post_id}", params={"fields": POST_FIELDS})
        raise_for_graph_error(response)
        return self._published(response.json(), account)

    @staticmethod
    def _published(data: dict[str, Any], account: Account) -> Published:
        capture = post_capture(data, account_id=account.id, page_id=account.remote_id)
        return Published.of(capture)

    @staticmethod
    def _comment(client: httpx2.Client, account: Account, comment_id: str, root: str) -> Published:
        response = client.get(f"{GRAPH}/{comment_id}", params={"fields": COMMENT_FIELDS})
        raise_for_graph_error(response)
        capture = comment_capture(
            response.json(), account_id=account.id, page_id=account.remote_id, post_id=root
        )
        return Published.of(capture)

    def _first_comment(self, client: httpx2.Client, account: Account, on: str, text: str) -> Published:
        response = client.post(f"{GRAPH}/{on}/comments", data={"message": text})
        raise_for_graph_error(response)
        return self._comment(client, account, str(response.json()["id"]), on)


def _file(media: OutgoingMedia) -> tuple[str, bytes, str]:
    extension = media.content_type.rpartition("/")[2] or "bin"
    return (f"image.{extension}", media.content, media.content_type)


PUBLISHER = FacebookPublisher()
